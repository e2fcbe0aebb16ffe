// FakeWeirServer in a process of its own, driven over the IPC channel by RemoteFakeWeirServer.
// Timing rows use it so that the server's work and garbage do not land on the client's event loop
// and heap: on a real network the API is another machine.
import { FakeWeirServer, type FakeWeirServerOptions } from 'nestjs-weir-auth/testing';
import type { FakeWeirCommand, FakeWeirReply } from './remote-fake-weir.js';

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as FakeWeirServerOptions;
  const fake = await FakeWeirServer.start(options);
  const reply = (message: FakeWeirReply) => process.send!(message);
  process.on('message', (command: FakeWeirCommand) => {
    switch (command.kind) {
      case 'setLatency':
        fake.setLatency(command.ms);
        break;
      case 'resetCounters':
        fake.resetCounters();
        break;
      case 'close':
        void fake.close().then(() => process.disconnect());
        return;
    }
    reply({ kind: 'state', tokenRequests: fake.tokenRequests });
  });
  reply({ kind: 'ready', url: fake.url });
}

void main();
