// Active defragmentation: when the allocator's fragmentation passes active-defrag-threshold-lower
// (and the waste passes active-defrag-ignore-bytes), walk the keyspace with a SCAN cursor in
// time-bounded steps from cron and move allocations that sit in sparse slabs (Heap.defragHint),
// so those slabs empty and their pages are reused. CPU effort scales between
// active-defrag-cycle-min and -max with the fragmentation level, as in Redis.

import { OFF_BITS, OFF_MASK } from "../memory/arena.ts";
import type { Server } from "../server/server.ts";
import { OBJ_STRING, objEncoding, objType } from "./object.ts";
import { hasValueOps, valueOps } from "./values.ts";

export class Defragger {
  running = false;
  /** Allocations moved / looked at and left (INFO active_defrag_hits/misses). */
  hits = 0;
  misses = 0;
  keyHits = 0;
  keyMisses = 0;
  private dbIndex = 0;
  private cursor = 0;
  /** CPU percentage of the current cycle (INFO active_defrag_running). */
  cpuPct = 0;
  /** Hits when the current pass started, and when a fruitless pass may be retried. */
  private passStartHits = 0;
  private restAfterEmptyPass = 0;

  constructor(private readonly server: Server) {}

  /** Fragmentation as Redis measures it for defrag: allocator frag percent and bytes. */
  private fragmentation(): { pct: number; bytes: number } {
    const h = this.server.heap;
    if (h.allocated === 0) return { pct: 0, bytes: 0 };
    return { pct: ((h.active - h.allocated) * 100) / h.allocated, bytes: h.active - h.allocated };
  }

  /** Called from cron: start, continue or stop a defrag cycle. */
  cron(): void {
    const s = this.server;
    const cfg = s.config;
    if (!cfg.bool("activedefrag")) {
      this.running = false;
      this.cpuPct = 0;
      return;
    }
    const { pct, bytes } = this.fragmentation();
    const lower = cfg.num("active-defrag-threshold-lower");
    const upper = cfg.num("active-defrag-threshold-upper");
    if (!this.running) {
      if (pct < lower || bytes < cfg.num("active-defrag-ignore-bytes")) return;
      // A pass that moved nothing means what is left cannot be compacted: rest a while.
      if (Date.now() < this.restAfterEmptyPass) return;
      this.running = true;
      this.passStartHits = this.hits;
      this.dbIndex = 0;
      this.cursor = 0;
      s.log("verbose", `Starting active defrag, frag=${pct.toFixed(0)}%, frag_bytes=${bytes}`);
    }
    const cmin = cfg.num("active-defrag-cycle-min");
    const cmax = cfg.num("active-defrag-cycle-max");
    const t = upper > lower ? Math.min(1, Math.max(0, (pct - lower) / (upper - lower))) : 1;
    this.cpuPct = Math.round(cmin + (cmax - cmin) * t);
    const hz = Math.max(1, cfg.num("hz"));
    const budgetMs = (1000 * this.cpuPct) / hz / 100;
    if (this.step(budgetMs)) {
      this.running = false;
      this.cpuPct = 0;
      if (this.hits === this.passStartHits) this.restAfterEmptyPass = Date.now() + 5000;
      const after = this.fragmentation();
      s.log("verbose", `Active defrag done, frag=${after.pct.toFixed(0)}%, frag_bytes=${after.bytes}`);
    }
  }

  /** Work for up to `budgetMs`; returns true when a full pass over all dbs is complete. */
  step(budgetMs: number): boolean {
    const s = this.server;
    const m = s.heap;
    const dbs = s.store.dbs;
    const start = performance.now();
    const maxFields = s.config.num("active-defrag-max-scan-fields");
    while (this.dbIndex < dbs.length) {
      const db = dbs[this.dbIndex];
      if (db.size() === 0) {
        this.dbIndex++;
        this.cursor = 0;
        continue;
      }
      const moved: number[] = [];
      this.cursor = db.scan(this.cursor, (e) => {
        moved.push(e);
      });
      for (const e0 of moved) {
        let e = e0;
        let keyMoved = false;
        if (m.defragHint(e)) {
          e = db.moveEntry(e);
          this.hits++;
          keyMoved = true;
        } else {
          this.misses++;
        }
        const type = objType(m, e);
        if (type !== OBJ_STRING && hasValueOps(type)) {
          const ops = valueOps(type);
          if (ops.defrag) {
            const v = m.u32[e >>> OFF_BITS][((e & OFF_MASK) << 1) + 3];
            const enc = objEncoding(m, e);
            if (ops.freeEffort(m, v, enc) <= maxFields) {
              const nv = ops.defrag(m, v, enc);
              if (nv !== v) {
                db.setValueHandle(e, nv);
                keyMoved = true;
              }
            }
          }
        }
        if (keyMoved) this.keyHits++;
        else this.keyMisses++;
      }
      if (this.cursor === 0) {
        this.dbIndex++;
      }
      if (performance.now() - start >= budgetMs) return false;
    }
    this.dbIndex = 0;
    this.cursor = 0;
    return true;
  }
}
