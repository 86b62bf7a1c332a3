// Which retained copies to believe. After a (re)subscription a broker sends each topic's stored
// retained message, flagged retain. A live message published meanwhile can overtake it (the
// embedded broker, aedes, sends the stored copies after the SUBACK), and the stored copy then
// arrives second although it is older. A live message (retain flag clear) is always the newest,
// so a stored copy that comes after a live one on the same topic is dropped.
export class RetainedOrder {
  readonly #live = new Set<string>();

  /** A new subscription (connect, reconnect): its stored copies are current again. */
  reset(): void {
    this.#live.clear();
  }

  /** Whether to take this message: false for a stored copy older than a live one already taken. */
  accept(topic: string, retained: boolean): boolean {
    if (!retained) {
      this.#live.add(topic);
      return true;
    }
    return !this.#live.has(topic);
  }
}
