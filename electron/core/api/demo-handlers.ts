import type { DemoRequests } from '../../contract';
import type { BackendCore } from './backend-core';
import type { HandlerGroup } from './backend-core';

export function demoHandlers(b: BackendCore): HandlerGroup<keyof DemoRequests> {
  return {
    'demo.start': (params) => b.jobs.start('demo', params ?? {}),
  };
}
