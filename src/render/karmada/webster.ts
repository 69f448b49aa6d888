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

interface Seat {
  readonly name: string;
  readonly votes: number;
  seats: number;
}

function partiesOf(votes: ReadonlyMap<string, number>, initial: ReadonlyMap<string, number>): Seat[] {
  const parties = new Map<string, Seat>();
  for (const [name, seats] of initial) parties.set(name, { name, votes: 0, seats });
  for (const [name, v] of votes) {
    const p = parties.get(name);
    parties.set(name, { name, votes: v, seats: p?.seats ?? 0 });
  }
  return [...parties.values()];
}

const byName = (a: Party, b: Party): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * Hands out `newSeats` seats. `initial` seats count towards the quotient (a party with seats but
 * no votes gains only when no party has votes). The result is sorted by name, zero-seat parties
 * included. The cost does not grow with the number of seats: a large count is fast-forwarded by
 * arithmetic (fastForward) and only the last few seats are handed out one by one.
 */
export function allocateWebsterSeats(
  newSeats: number,
  votes: ReadonlyMap<string, number>,
  initial: ReadonlyMap<string, number> = new Map(),
  order: NameOrder = 'ascending',
): Party[] {
  const list = partiesOf(votes, initial);
  // One seat at a time costs newSeats·log(parties); fast-forwarding costs about 64·parties.
  const left = list.length > 0 && newSeats > 64 * list.length + 1024 ? fastForward(list, newSeats) : newSeats;
  handOut(list, left, order);
  return list.sort(byName);
}

/**
 * The same result, always fast-forwarding first, and how many seats were then left to hand out
 * one by one: what the tests compare with the plain loop.
 */
export function allocateWebsterSeatsByArithmetic(
  newSeats: number,
  votes: ReadonlyMap<string, number>,
  initial: ReadonlyMap<string, number> = new Map(),
  order: NameOrder = 'ascending',
): { parties: Party[]; oneByOne: number } {
  const list = partiesOf(votes, initial);
  const oneByOne = list.length === 0 ? 0 : fastForward(list, newSeats);
  handOut(list, oneByOne, order);
  return { parties: list.sort(byName), oneByOne };
}

/** Upstream's loop: the next seat to the party first by quotient, fewer seats, then name order. */
function handOut(list: Seat[], newSeats: number, order: NameOrder): void {
  if (list.length === 0) return;
  const before = (a: Party, b: Party): boolean => {
    const qa = a.votes / (2 * a.seats + 1);
    const qb = b.votes / (2 * b.seats + 1);
    if (qa !== qb) return qa > qb;
    if (a.seats !== b.seats) return a.seats < b.seats;
    return order === 'ascending' ? a.name < b.name : a.name > b.name;
  };
  // A binary heap keeps the seats handed out one by one at O(seats · log parties).
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
}

/**
 * Gives each party the seats the one-by-one loop would have given it after some prefix of its
 * turns, leaving fewer seats than there are parties; returns how many are left.
 *
 * Why a prefix can be computed: think of every seat a party could win as a bid, the k-th at
 * quotient votes/(2k+1). The loop awards bids in one total order (quotient descending, then
 * fewer seats, then name), and a party's own bids come in that order, since its quotient
 * strictly falls as k grows (for votes > 0; exactly in doubles too, as k stays below 2^31). So
 * after any number of turns each party holds exactly its bids above some threshold t, and for
 * a given t the count is arithmetic. t is found by bisection; where it stops, at most one bid
 * per party sits at the threshold, so the rest is left to the loop.
 */
function fastForward(list: Seat[], newSeats: number): number {
  const voters = list.filter((p) => p.votes > 0);
  if (voters.length === 0) return levelUp(list, newSeats);
  // Bids of party p strictly above t: its k-th bid counts while votes/(2k+1) > t, as the loop computes it.
  const above = (p: Seat, t: number): number => {
    if (!(p.votes / (2 * p.seats + 1) > t)) return 0;
    let k = Math.max(p.seats, Math.ceil((p.votes / t - 1) / 2));
    while (k > p.seats && !(p.votes / (2 * (k - 1) + 1) > t)) k--;
    while (p.votes / (2 * k + 1) > t) k++;
    return k - p.seats;
  };
  const total = (t: number): number => {
    let n = 0;
    for (const p of voters) n += above(p, t);
    return n;
  };
  let hi = voters.reduce((m, p) => Math.max(m, p.votes / (2 * p.seats + 1)), 0);
  let lo = voters.reduce((s, p) => s + p.votes, 0) / (2 * (newSeats + list.length + voters.reduce((s, p) => s + p.seats, 0) + 1));
  while (total(lo) <= newSeats) lo /= 2;
  // total(hi) <= newSeats < total(lo).
  for (let i = 0; i < 200 && newSeats - total(hi) >= list.length; i++) {
    const mid = lo + (hi - lo) / 2;
    if (mid === lo || mid === hi) break;
    if (total(mid) <= newSeats) hi = mid;
    else lo = mid;
  }
  let given = 0;
  for (const p of voters) {
    const n = above(p, hi);
    p.seats += n;
    given += n;
  }
  return newSeats - given;
}

/**
 * No party has votes: every quotient is 0, so seats go to the fewest-seated party, then by name,
 * which fills the parties up level by level. Raises everyone to the highest level the seats
 * cover in full; the seats left go one by one.
 */
function levelUp(list: Seat[], newSeats: number): number {
  const levels = list.map((p) => p.seats).sort((a, b) => a - b);
  let level = levels[0]!;
  let left = newSeats;
  for (let i = 0; i < levels.length; i++) {
    const next = i + 1 < levels.length ? levels[i + 1]! : Infinity;
    // Parties 0..i sit at `level`; raising them to `next` costs (i + 1) seats per step.
    const steps = Math.min(next - level, Math.floor(left / (i + 1)));
    level += steps;
    left -= steps * (i + 1);
    if (level < next) break;
  }
  for (const p of list) if (p.seats < level) p.seats = level;
  return left;
}
