// URFA functions of telephony (calls): see issue 13.
export {};
