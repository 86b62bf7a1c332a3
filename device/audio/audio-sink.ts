// What a speaker driver does for the controller: play one sound to its end. Health goes through
// the DeviceHealthSink like every other device: a speaker that cannot play is offline with an
// AUDIO_OFFLINE alert, and the calls keep going to the boards meanwhile.

export interface AudioSink {
  readonly id: string;
  /** Whether the last play or probe worked. */
  readonly online: boolean;
  start(): void;
  /** Plays a WAV to its end; rejects (and reports offline) when the device fails. */
  play(wav: Uint8Array): Promise<void>;
  stop(): Promise<void>;
}

export const AUDIO_OFFLINE = "AUDIO_OFFLINE";
