// The work queue's "add after" side (client-go's delaying queue): items with the time they become
// ready, kept in a min-heap, with one timer for the earliest. Re-adding an item keeps the earlier time.

interface Entry<T> {
  item: T;
  readyAtMs: number;
}

export class DelayedItems<T> {
  private readonly heap: Entry<T>[] = [];
  /** The ready time each waiting item will fire at; heap entries disagreeing with it are stale. */
  private readonly readyAtByItem = new Map<T, number>();
  private timer: NodeJS.Timeout | undefined;
  private timerAtMs = Infinity;

  constructor(private readonly onReady: (item: T) => void, private readonly now: () => number = () => performance.now()) {}

  get size(): number {
    return this.readyAtByItem.size;
  }

  add(item: T, delayMs: number): void {
    const readyAtMs = this.now() + delayMs;
    const existing = this.readyAtByItem.get(item);
    if (existing !== undefined && existing <= readyAtMs) return;
    this.readyAtByItem.set(item, readyAtMs);
    this.push({ item, readyAtMs });
    this.schedule();
  }

  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAtMs = Infinity;
    this.heap.length = 0;
    this.readyAtByItem.clear();
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAtMs = Infinity;
    const nowMs = this.now();
    for (let top = this.heap[0]; top && top.readyAtMs <= nowMs; top = this.heap[0]) {
      this.pop();
      if (this.readyAtByItem.get(top.item) !== top.readyAtMs) continue;
      this.readyAtByItem.delete(top.item);
      this.onReady(top.item);
    }
    this.schedule();
  }

  private schedule(): void {
    const top = this.heap[0];
    if (!top || top.readyAtMs >= this.timerAtMs) return;
    clearTimeout(this.timer);
    this.timerAtMs = top.readyAtMs;
    this.timer = setTimeout(() => this.fire(), Math.max(0, top.readyAtMs - this.now()));
  }

  private push(entry: Entry<T>): void {
    const heap = this.heap;
    heap.push(entry);
    for (let index = heap.length - 1; index > 0; ) {
      const parent = (index - 1) >> 1;
      if (heap[parent]!.readyAtMs <= heap[index]!.readyAtMs) break;
      [heap[parent], heap[index]] = [heap[index]!, heap[parent]!];
      index = parent;
    }
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    heap[0] = last;
    for (let index = 0; ; ) {
      const left = index * 2 + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && heap[left]!.readyAtMs < heap[smallest]!.readyAtMs) smallest = left;
      if (right < heap.length && heap[right]!.readyAtMs < heap[smallest]!.readyAtMs) smallest = right;
      if (smallest === index) break;
      [heap[smallest], heap[index]] = [heap[index]!, heap[smallest]!];
      index = smallest;
    }
  }
}
