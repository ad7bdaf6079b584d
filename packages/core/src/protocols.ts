import type { Core, ConnectionFactory } from './core';

/**
 * The protocol handlers the core's listeners use. Until a protocol is implemented its listener accepts and closes
 * politely, so ports, limits and shutdown are exercised from day one.
 */
function closing(): ConnectionFactory {
  return (socket) => {
    socket.end();
    return { close: async () => { socket.destroy(); } };
  };
}

export const defaultProtocols: { urfa: (core: Core) => ConnectionFactory; stream: (core: Core) => ConnectionFactory } = {
  urfa: () => closing(),
  stream: () => closing(),
};
