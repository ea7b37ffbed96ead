import type { EmbeddingStore, GalleryEntry } from '../store/embeddings';

/** What a gallery row knows about its annotation besides the vector (for filters and ranking). */
export interface GalleryRowInfo {
  annotationId: number;
  individualId: number | null;
  photoId: number;
  encounterId: number | null;
  side: string | null;
  bodyPart: string;
  /** The photo's taken_at_utc as stored (ISO text), for date filters. */
  takenAt: string | null;
  /** The photo's GPS, else its encounter's. */
  lat: number | null;
  lon: number | null;
}

/** Rebuild instead of patching when more than this share of the rows changed at once. */
const REBUILD_SHARE = 0.25;
/** The change log keeps this many rows; a gallery that fell further behind rebuilds. */
const LOG_KEEP = 200_000;

/**
 * The active model's vectors in one contiguous, row-major Float32Array (L2-normalised, so an
 * inner product is a cosine), with per-row metadata in typed arrays. Built once from the store, then
 * kept current from the `gallery_changes` log (migration 0004), which triggers fill for every
 * writer, in this process or another: `refresh()` before each search applies what changed since
 * the last sequence seen. Deleting a row moves the last row into its place, so the matrix stays
 * dense; row numbers are therefore not stable across refreshes (annotation ids are).
 */
export class Gallery {
  size = 0;
  vectors: Float32Array;
  /** The matrix as bytes: a BLOB (not necessarily 4-byte aligned) lands with one memcpy. */
  private raw: Uint8Array;
  annotation: Int32Array;
  individual: Int32Array; // -1 = not identified
  photo: Int32Array;
  encounter: Int32Array; // -1 = none
  sideCode: Uint16Array; // 0 = none; see codeOf
  bodyPartCode: Uint16Array;
  takenAt: Array<string | null>;
  lat: Float64Array; // NaN = unknown
  lon: Float64Array;
  /** Bumped by every applied change; caches keyed on it (calibration) know when to recompute. */
  version = 0;
  private rowOf = new Map<number, number>();
  private codes = new Map<string, number>([['', 0]]);
  private names: string[] = [''];
  private lastSeq = 0;
  private capacity: number;
  /** Rows skipped because their dim differs from the gallery's. */
  skipped = 0;

  private constructor(
    private readonly embeddings: EmbeddingStore,
    readonly modelId: string,
    readonly dim: number,
    capacity: number,
  ) {
    this.capacity = Math.max(16, capacity);
    this.vectors = new Float32Array(this.capacity * dim);
    this.raw = new Uint8Array(this.vectors.buffer);
    this.annotation = new Int32Array(this.capacity);
    this.individual = new Int32Array(this.capacity);
    this.photo = new Int32Array(this.capacity);
    this.encounter = new Int32Array(this.capacity);
    this.sideCode = new Uint16Array(this.capacity);
    this.bodyPartCode = new Uint16Array(this.capacity);
    this.takenAt = new Array(this.capacity).fill(null);
    this.lat = new Float64Array(this.capacity);
    this.lon = new Float64Array(this.capacity);
  }

  /** Reads every embedding of `modelId` in one snapshot, with the change-log position it corresponds to. */
  static load(embeddings: EmbeddingStore, modelId: string, dimHint?: number): Gallery {
    return embeddings.gallerySnapshot(modelId, ({ seq, count, dim: first, rows }) => {
      const dim = first ?? dimHint ?? 0;
      const g = new Gallery(embeddings, modelId, dim, count);
      g.lastSeq = seq;
      if (dim > 0) for (const r of rows()) g.put(r);
      return g;
    });
  }

  /**
   * Applies changes logged since the last refresh (any writer, any connection). Cheap when
   * nothing changed: one indexed MAX. Returns how many annotations were re-read, or 'rebuilt'
   * when so much changed (or the log was pruned past us) that reloading is cheaper.
   */
  refresh(): number | 'rebuilt' {
    const max = this.embeddings.galleryChangeSeq();
    if (max === this.lastSeq) return 0;
    return this.embeddings.galleryChanges(this.modelId, this.lastSeq, (log): number | 'rebuilt' => {
      const min = log.min;
      if (min != null && this.lastSeq < min - 1) return this.rebuild();
      const ids = log.changed();
      const seq = log.seq();
      if (this.dim === 0 && ids.length > 0) return this.rebuild(); // first embeddings of this model: learn the dim
      if (ids.length > 1000 && ids.length > this.size * REBUILD_SHARE) return this.rebuild();
      for (const id of ids) {
        const r = log.entry(id);
        if (r) this.put(r);
        else this.remove(id);
      }
      this.lastSeq = seq;
      if (ids.length) this.version++;
      this.pruneLog(seq, min);
      return ids.length;
    });
  }

  has(annotationId: number): boolean {
    return this.rowOf.has(annotationId);
  }

  rowIndex(annotationId: number): number | undefined {
    return this.rowOf.get(annotationId);
  }

  /** A copy of an annotation's (normalised) vector. */
  vectorOf(annotationId: number): Float32Array | undefined {
    const r = this.rowOf.get(annotationId);
    return r === undefined ? undefined : this.vectors.slice(r * this.dim, (r + 1) * this.dim);
  }

  info(row: number): GalleryRowInfo {
    return {
      annotationId: this.annotation[row],
      individualId: this.individual[row] < 0 ? null : this.individual[row],
      photoId: this.photo[row],
      encounterId: this.encounter[row] < 0 ? null : this.encounter[row],
      side: this.sideCode[row] ? this.names[this.sideCode[row]] : null,
      bodyPart: this.names[this.bodyPartCode[row]],
      takenAt: this.takenAt[row],
      lat: Number.isNaN(this.lat[row]) ? null : this.lat[row],
      lon: Number.isNaN(this.lon[row]) ? null : this.lon[row],
    };
  }

  /** The code a side or body part is stored as (0 when the gallery has never seen it). */
  codeOf(value: string | null | undefined): number {
    return value ? this.codes.get(value) ?? -1 : 0;
  }

  /** Bytes held by the matrix and metadata (capacity included). */
  get bytes(): number {
    return this.capacity * (this.dim * 4 + 4 * 4 + 2 * 2 + 8 * 2 + 8);
  }

  private rebuild(): 'rebuilt' {
    const fresh = Gallery.load(this.embeddings, this.modelId, this.dim);
    Object.assign(this, { ...fresh, embeddings: this.embeddings, version: this.version + 1 });
    return 'rebuilt';
  }

  private intern(v: string): number {
    let c = this.codes.get(v);
    if (c === undefined) {
      c = this.names.length;
      this.names.push(v);
      this.codes.set(v, c);
    }
    return c;
  }

  private put(r: GalleryEntry): void {
    const [annotationId, dim, blob, individual, photo, encounter, side, bodyPart, takenAt, lat, lon] = r;
    if (dim !== this.dim || blob.byteLength !== dim * 4) {
      this.skipped++;
      this.remove(annotationId);
      return;
    }
    let row = this.rowOf.get(annotationId);
    if (row === undefined) {
      if (this.size === this.capacity) this.grow();
      row = this.size++;
      this.rowOf.set(annotationId, row);
    }
    const off = row * dim;
    // One memcpy from the BLOB (which need not be 4-byte aligned) into the matrix.
    this.raw.set(blob, off * 4);
    let ss = 0;
    for (let j = 0; j < dim; j++) ss += this.vectors[off + j] * this.vectors[off + j];
    if (ss > 0 && Math.abs(ss - 1) > 1e-6) {
      const inv = 1 / Math.sqrt(ss);
      for (let j = 0; j < dim; j++) this.vectors[off + j] *= inv;
    }
    this.annotation[row] = annotationId;
    this.individual[row] = individual ?? -1;
    this.photo[row] = photo;
    this.encounter[row] = encounter ?? -1;
    this.sideCode[row] = side ? this.intern(side) : 0;
    this.bodyPartCode[row] = this.intern(bodyPart);
    this.takenAt[row] = takenAt;
    this.lat[row] = lat ?? NaN;
    this.lon[row] = lon ?? NaN;
  }

  private remove(annotationId: number): void {
    const row = this.rowOf.get(annotationId);
    if (row === undefined) return;
    this.rowOf.delete(annotationId);
    const last = --this.size;
    if (row !== last) {
      const d = this.dim;
      this.vectors.copyWithin(row * d, last * d, (last + 1) * d);
      for (const a of [this.annotation, this.individual, this.photo, this.encounter, this.sideCode, this.bodyPartCode, this.lat, this.lon]) a[row] = a[last];
      this.takenAt[row] = this.takenAt[last];
      this.rowOf.set(this.annotation[row], row);
    }
    this.takenAt[last] = null;
  }

  private grow(): void {
    const cap = this.capacity * 2;
    const grown = <T extends Float32Array | Int32Array | Uint16Array | Float64Array>(a: T, per = 1): T => {
      const b = new (a.constructor as new (n: number) => T)(cap * per);
      b.set(a);
      return b;
    };
    this.vectors = grown(this.vectors, this.dim);
    this.raw = new Uint8Array(this.vectors.buffer);
    this.annotation = grown(this.annotation);
    this.individual = grown(this.individual);
    this.photo = grown(this.photo);
    this.encounter = grown(this.encounter);
    this.sideCode = grown(this.sideCode);
    this.bodyPartCode = grown(this.bodyPartCode);
    this.lat = grown(this.lat);
    this.lon = grown(this.lon);
    this.takenAt.length = cap;
    this.capacity = cap;
  }

  private pruneLog(seq: number, min: number | null): void {
    if (min == null || seq - min < LOG_KEEP * 2) return;
    this.embeddings.pruneGalleryChanges(seq - LOG_KEEP);
  }
}
