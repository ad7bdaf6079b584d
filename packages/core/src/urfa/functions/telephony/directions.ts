// URFA functions of telephony (directions): see issue 13.
export {};
