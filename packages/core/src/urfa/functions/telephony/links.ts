// URFA functions of telephony (links): see issue 13.
export {};
