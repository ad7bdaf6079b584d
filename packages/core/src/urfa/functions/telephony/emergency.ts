// URFA functions of telephony (emergency): see issue 13.
export {};
