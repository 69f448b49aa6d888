/**
 * @module karmada/webster
 * Seat allocation by the Webster (Sainte-Laguë) method, as Karmada v1.16+ divides replicas
 * (`pkg/util/helper/webstermethod.go`, Dispenser in `binding.go`). One seat at a time goes to the
 * party with the highest votes / (2·seats + 1). Ties: fewer seats first, then the name order,
 * which upstream takes from the template UID (FNV-32a even or empty: ascending; odd: descending).
 */

export interface Party {
  readonly name: string;
  readonly votes: number;
  readonly seats: number;
}

export type NameOrder = 'ascending' | 'descending';

/** Upstream `tieBreakerByUID`. gitfed templates have no UID, so the engine always passes ''. */
export function nameOrderForUID(uid: string): NameOrder {
  if (uid === '') return 'ascending';
  return (fnv32a(uid) & 1) === 1 ? 'descending' : 'ascending';
}

function fnv32a(s: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(s, 'utf8')) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * Hands out `newSeats` seats. `initial` seats count towards the quotient (a party with seats but
 * no votes never gains). The result is sorted by name, zero-seat parties included.
 */
export function allocateWebsterSeats(
  newSeats: number,
  votes: ReadonlyMap<string, number>,
  initial: ReadonlyMap<string, number> = new Map(),
  order: NameOrder = 'ascending',
): Party[] {
  const parties = new Map<string, { name: string; votes: number; seats: number }>();
  for (const [name, seats] of initial) parties.set(name, { name, votes: 0, seats });
  for (const [name, v] of votes) {
    const p = parties.get(name);
    if (p) p.votes = v;
    else parties.set(name, { name, votes: v, seats: 0 });
  }
  const list = [...parties.values()];
  if (list.length === 0) return [];
  const before = (a: Party, b: Party): boolean => {
    const qa = a.votes / (2 * a.seats + 1);
    const qb = b.votes / (2 * b.seats + 1);
    if (qa !== qb) return qa > qb;
    if (a.seats !== b.seats) return a.seats < b.seats;
    return order === 'ascending' ? a.name < b.name : a.name > b.name;
  };
  // A binary heap keeps a large replica count over many clusters at O(seats · log clusters).
  const heap = list.slice();
  const up = (i: number): void => {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) return;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  };
  const down = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let top = i;
      if (l < heap.length && before(heap[l]!, heap[top]!)) top = l;
      if (r < heap.length && before(heap[r]!, heap[top]!)) top = r;
      if (top === i) return;
      [heap[i], heap[top]] = [heap[top]!, heap[i]!];
      i = top;
    }
  };
  for (let i = 1; i < heap.length; i++) up(i);
  for (let left = newSeats; left > 0; left--) {
    heap[0]!.seats++;
    down(0);
  }
  return list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
