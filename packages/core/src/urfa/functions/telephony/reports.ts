// URFA functions of telephony (reports): see issue 13.
export {};
