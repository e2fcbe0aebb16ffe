export { FakeWeirServer } from './fake-weir-server.js';
export type {
  FakeWeirFailOptions,
  FakeWeirFault,
  FakeWeirRateLimit,
  FakeWeirRecordedRequest,
  FakeWeirServerOptions,
} from './fake-weir-server.js';
