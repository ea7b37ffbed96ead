import type { EmbeddingRequests, EmbeddingStatus, JobInfoFor } from '../../contract';
import { getSetting } from '../catalog/settings';
import { lastProvider, plannedProvider } from '../vision/extractor-cache';
import { availableProviders, parseDevice } from '../vision/providers';
import type { BackendCore } from './backend-core';
import type { HandlerGroup } from './backend-core';

let available: ReturnType<typeof availableProviders> | undefined;

export function embeddingStatus(b: BackendCore): EmbeddingStatus {
  available ??= availableProviders();
  const device = parseDevice(getSetting(b.catalog, 'device'), "setting 'device'");
  const store = b.catalog.store;
  const model = store.models.active();
  const total = store.annotations.count();
  const embedded = model ? store.embeddings.count(model.id) : 0;
  const job = b.jobs.list(20).find((j): j is JobInfoFor<'embed'> => j.kind === 'embed' && (j.state === 'queued' || j.state === 'running')) ?? null;
  const last = lastProvider();
  return {
    device,
    provider: last?.provider ?? plannedProvider(device),
    providerSource: last ? 'used' : 'planned',
    available,
    warnings: last?.warnings ?? [],
    model: model?.id ?? null,
    embedded,
    total,
    job,
  };
}

export function embeddingHandlers(b: BackendCore): HandlerGroup<keyof EmbeddingRequests> {
  return {
    'embedding.status': () => embeddingStatus(b),
    'embedding.start': ({ device, views }) => {
      const running = embeddingStatus(b).job;
      if (running) return running;
      const info = b.jobs.start('embed', { device: device === undefined ? undefined : parseDevice(device, 'device'), views });
      b.emit('catalog.changed', { topics: ['embedding'] });
      return info;
    },
  };
}
