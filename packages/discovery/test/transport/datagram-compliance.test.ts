import { silentLogger } from '@ethp2p/base';
import { MemoryNetwork } from '../../src/transport/memory-network.ts';
import { bindUdpSocket } from '../../src/transport/udp-socket.ts';
import { datagramSocketCompliance } from './datagram-compliance.ts';

datagramSocketCompliance('bindUdpSocket on 127.0.0.1', () => ({
  bind: () => bindUdpSocket({ address: '127.0.0.1', logger: silentLogger }),
}));

datagramSocketCompliance('MemoryNetwork', () => {
  const net = new MemoryNetwork();
  return { bind: async () => net.bind('10.0.0.1') };
});
