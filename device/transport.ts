// A byte stream to a device: serial (also RS-485 and a pty), USB printer class, or TCP. Drivers
// are written against this, so a simulator on the far end of the same transport can stand in for
// the real device.

export interface ByteTransport {
  /** For logs and health: "serial /dev/ttyUSB0 @ 19200", "tcp 10.0.0.5:9100". */
  readonly description: string;
  /**
   * The longest wait between reopen attempts this transport wants (the supervisor's backoff is
   * capped at it): a serial port that is missing fails at once, so trying often costs nothing
   * and a replugged device is seen within seconds. Absent: the supervisor's own cap (30 s).
   */
  readonly reopenCapMs?: number;
  /** Wire speed where it limits how fast a job gets out (serial: baud / 10 at 8N1); absent = fast. */
  readonly bytesPerSecond?: number;
  /** Opens the device; rejects with a clear message if it cannot (missing, busy, refused). */
  open(): Promise<void>;
  /** Resolves once the bytes are handed to the OS (drained); rejects if the device is gone. */
  write(bytes: Uint8Array): Promise<void>;
  /** Closes on purpose; onClose handlers are not called for this. */
  close(): Promise<void>;
  /** Bytes from the device, in arbitrary chunks. */
  onData(handler: (chunk: Uint8Array) => void): void;
  /** The device went away (unplugged, connection dropped) without close() being called. */
  onClose(handler: (error?: Error) => void): void;
}
