// The streaming skeleton shared by the board parsers. Serial reads split frames anywhere and
// lines carry noise, so: every decision at a position depends only on the bytes from there on;
// when it needs bytes not yet received, the tail is kept for the next push (so any split of the
// stream gives the same frames); an impossible start is skipped one byte at a time and counted,
// which resynchronises on the next real frame.

/** What starts at buf[i]: frames and how many bytes they took, not a frame start, or need more. */
export type Step<T> = { items: T[]; length: number } | "skip" | "wait";

export abstract class FrameScanner<T> {
  #tail: number[] = [];
  #garbage = 0;
  #consumed = 0;

  /** Bytes skipped since construction or `reset()`. */
  get garbage(): number {
    return this.#garbage;
  }

  /** Bytes held back waiting for the rest of a frame. */
  get buffered(): number {
    return this.#tail.length;
  }

  push(chunk: Uint8Array): T[] {
    for (const b of chunk) this.#tail.push(b);
    return this.#drain(false);
  }

  /** Decides the held-back tail as if the stream ended here (the line went quiet). */
  flush(): T[] {
    return this.#drain(true);
  }

  /** Back to a fresh parser: no buffered bytes, counters 0. */
  reset(): void {
    this.#tail = [];
    this.#garbage = 0;
    this.#consumed = 0;
  }

  /** Bytes decided (taken or skipped) before the held-back tail: stream position of its first byte. */
  protected get consumed(): number {
    return this.#consumed;
  }

  protected abstract step(buf: readonly number[], i: number): Step<T>;

  #drain(final: boolean): T[] {
    const buf = this.#tail;
    const out: T[] = [];
    let i = 0;
    while (i < buf.length) {
      const step = this.step(buf, i);
      if (step === "wait" && !final) break;
      if (step === "skip" || step === "wait") {
        this.#garbage++;
        i++;
        continue;
      }
      out.push(...step.items);
      i += step.length;
    }
    this.#tail = buf.slice(i);
    this.#consumed += i;
    return out;
  }
}
