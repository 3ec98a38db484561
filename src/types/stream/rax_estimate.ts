// XINFO STREAM radix-tree-nodes: the node count Redis's rax would have for the stream's node
// keys (16-byte big-endian master IDs). Redis keeps a compressed radix tree; for a set of
// equal-length keys its shape is determined by the keys alone: one root, one node per branching
// point, one leaf per key, plus one compressed (or single-char) node on every edge that spans
// more than its first byte, except the root's own run down to the first branching point.

import type { Heap } from "../../memory/allocator.ts";
import { btCount, BtCursor, btFirst, btNext, btSlot, btWords } from "./btree.ts";
import { streamIndex } from "./stream.ts";

/** Common prefix length in bytes of two 4-word keys. */
function _lcp(a: Uint32Array, aw: number, b: Uint32Array, bw: number): number {
  for (let i = 0; i < 4; i++) {
    const x = (a[aw + i] ^ b[bw + i]) >>> 0;
    if (x !== 0) return i * 4 + (Math.clz32(x) >> 3);
  }
  return 16;
}

/** The rax node count of the stream's node index. */
export function streamRaxNodes(m: Heap, s: number): number {
  const index = streamIndex(m, s);
  const n = btCount(m, index);
  if (n === 0) return 1;
  if (n === 1) return 2;
  // LCP of each adjacent pair
  const lcp = new Uint8Array(n - 1);
  const c = new BtCursor();
  btFirst(m, index, c);
  let pu = btWords(m, c);
  let pw = btSlot(c);
  let i = 0;
  let d0 = 16;
  while (btNext(m, c)) {
    const u = btWords(m, c);
    const w = btSlot(c);
    const h = _lcp(pu, pw, u, w);
    lcp[i++] = h;
    if (h < d0) d0 = h;
    pu = u;
    pw = w;
  }
  let nodes = 1;
  // branching nodes from the lcp intervals (stack of depths over a depth-0 sentinel)
  const stack: number[] = [0];
  const pop = (h: number) => {
    while (h < stack[stack.length - 1]) {
      const depth = stack.pop()!;
      const top = stack[stack.length - 1];
      const parent = h > top ? h : top;
      nodes++;
      // an edge into this node spans its first byte plus an intermediate node if longer,
      // except under a non-branching root (which runs straight down to the top interval)
      if (!(parent === 0 && d0 > 0) && depth - parent - 1 >= 1) nodes++;
    }
  };
  for (let j = 0; j < n - 1; j++) {
    const h = lcp[j];
    pop(h);
    if (h > stack[stack.length - 1]) stack.push(h);
  }
  pop(0);
  // leaves: each hangs under the deeper of its two neighbouring lcps
  for (let j = 0; j < n; j++) {
    const left = j > 0 ? lcp[j - 1] : 0;
    const right = j < n - 1 ? lcp[j] : 0;
    const pd = left > right ? left : right;
    nodes++;
    if (16 - pd - 1 >= 1) nodes++;
  }
  return nodes;
}
