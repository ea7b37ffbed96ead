/** Dates as biologists write them in field notes: 2024-07-03 10:42 (the photo's own local time). */
export function formatDate(iso: string | null | undefined, withTime = false): string {
  if (!iso) return 'date unknown';
  const d = iso.slice(0, 10);
  return withTime && iso.length >= 16 ? `${d} ${iso.slice(11, 16)}` : d;
}
