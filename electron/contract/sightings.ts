import type { NameSet, RequestSpec } from './define';

/**
 * One sighting: an identified individual seen in one encounter (or, for a photo outside any
 * encounter, on that photo). Its place is the mean GPS of the individual's photos there, else
 * the encounter's place; its date the earliest capture time, else the encounter's start.
 */
export interface Sighting {
  individualId: number;
  individualCode: string;
  encounterId: number | null;
  encounterCode: string | null;
  /** Local date-time as recorded (with offset when known); null when neither photo nor encounter has one. */
  date: string | null;
  latitude: number | null;
  longitude: number | null;
  location: string | null;
  photos: number;
  /** A photo of the individual there, for a thumbnail. */
  photoId: number;
}

export interface SightingsFilter {
  individualId?: number;
  encounterId?: number;
  /** Inclusive calendar dates, `YYYY-MM-DD`, compared with the sighting's local date. */
  from?: string;
  to?: string;
}

export interface SightingsRequests {
  /** Sightings in date order (undated last), for the map and the timelines. */
  'sightings.list': RequestSpec<SightingsFilter, { items: Sighting[]; undated: number; withoutPlace: number }>;
}

export const sightingsRequestNames = {
  'sightings.list': true,
} as const satisfies NameSet<SightingsRequests>;
