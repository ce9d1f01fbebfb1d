// Pulls exact byte counts out of an async stream of chunks (a layer download, a gunzip stream),
// so the tar reader can walk 512-byte blocks without holding a whole layer in memory.
export class ByteReader {
  private readonly iterator: AsyncIterator<Buffer>;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private done = false;

  constructor(source: AsyncIterable<Buffer | Uint8Array | string>) {
    const iterator = source[Symbol.asyncIterator]();
    this.iterator = {
      next: async () => {
        const result = await iterator.next();
        if (result.done) return result;
        const value = result.value;
        return { done: false, value: typeof value === 'string' ? Buffer.from(value) : Buffer.isBuffer(value) ? value : Buffer.from(value) };
      },
    };
  }

  /** Exactly n bytes, or fewer only at the end of the stream. */
  async read(n: number): Promise<Buffer> {
    while (this.pendingBytes < n && !this.done) await this.fill();
    return this.take(Math.min(n, this.pendingBytes));
  }

  /** Up to n bytes in the chunks as they arrive (for copying a file's content out). */
  async *chunks(n: number): AsyncGenerator<Buffer> {
    let left = n;
    while (left > 0) {
      if (this.pendingBytes === 0) {
        if (this.done) throw new Error(`unexpected end of stream: ${left} bytes missing`);
        await this.fill();
        continue;
      }
      const chunk = this.take(Math.min(left, this.pendingBytes));
      left -= chunk.length;
      yield chunk;
    }
  }

  async skip(n: number): Promise<void> {
    for await (const _ of this.chunks(n));
  }

  private async fill(): Promise<void> {
    const result = await this.iterator.next();
    if (result.done) {
      this.done = true;
      return;
    }
    if (result.value.length === 0) return;
    this.pending.push(result.value);
    this.pendingBytes += result.value.length;
  }

  private take(n: number): Buffer {
    if (n === 0) return Buffer.alloc(0);
    const all = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    this.pending = rest.length > 0 ? [rest] : [];
    this.pendingBytes = rest.length;
    return out;
  }
}
