// URFA functions of telephony (zones): see issue 13.
export {};
