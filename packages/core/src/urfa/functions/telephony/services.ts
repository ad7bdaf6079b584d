// URFA functions of telephony (services): see issue 13.
export {};
