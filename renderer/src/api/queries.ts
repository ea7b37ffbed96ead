import { QueryClient, useMutation, useQuery, useQueryClient, type UseQueryOptions } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { Params, RequestName, Result } from '../../../electron/contract';
import { api } from './bridge';

export const queryClient = new QueryClient({
  defaultOptions: { queries: { staleTime: 5_000, retry: 1, refetchOnWindowFocus: false } },
});

/** Backend data through the query cache, keyed by request name and params. */
export function useRequest<N extends RequestName>(
  name: N,
  params: Params<N>,
  options: Omit<UseQueryOptions<Result<N>>, 'queryKey' | 'queryFn'> = {},
) {
  return useQuery<Result<N>>({
    queryKey: [name, params],
    queryFn: () => api().request(name, params),
    ...options,
  });
}

/** A request that changes data; `invalidates` names the request prefixes to refetch after it. */
export function useAction<N extends RequestName>(name: N, invalidates: string[] = []) {
  const qc = useQueryClient();
  return useMutation<Result<N>, Error, Params<N>>({
    mutationFn: (params) => api().request(name, params),
    onSuccess: () => invalidate(qc, invalidates),
  });
}

function invalidate(qc: QueryClient, prefixes: string[]) {
  return qc.invalidateQueries({
    predicate: (q) => prefixes.some((p) => String(q.queryKey[0]).startsWith(p)),
  });
}

/**
 * Keeps the cache true to the backend: a `catalog.changed` event refetches every query whose
 * request name starts with one of its topics (e.g. topic `individuals` -> `individuals.list`).
 * Topic `*` refetches everything.
 */
export function useBackendInvalidation(): void {
  const qc = useQueryClient();
  useEffect(
    () =>
      api().on('catalog.changed', ({ topics }) => {
        if (topics.includes('*')) void qc.invalidateQueries();
        else void invalidate(qc, [...topics, 'catalog.summary']);
      }),
    [qc],
  );
}
