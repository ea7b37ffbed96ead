import type { DemoRequests } from '../../contract';
import type { Backend } from './backend';
import type { HandlerGroup } from './handlers';

export function demoHandlers(b: Backend): HandlerGroup<keyof DemoRequests> {
  return {
    'demo.start': (params) => b.jobs.start('demo', params ?? {}),
  };
}
