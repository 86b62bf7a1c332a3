// Commands: what callers ask of the queue. Tickets are named by id ("2026-11-25-A023") or by the
// number the customer holds ("A023", the open ticket of that number first).

export type QueueCommand =
  // token: the follow page's random key for the new ticket, drawn by the caller (the core is pure).
  // appointmentAt: a checked-in appointment's time (epoch ms), called at that time (call-order.ts).
  | {
      type: "issue";
      service: string;
      priority?: number;
      printer?: string;
      token?: string;
      appointmentAt?: number;
    }
  | { type: "confirm_print"; ticket: string }
  | { type: "fail_print"; ticket: string; reason: string }
  | { type: "open"; counter: string }
  | { type: "pause"; counter: string }
  | { type: "close"; counter: string }
  | { type: "call_next"; counter: string }
  | { type: "call"; counter: string; ticket: string }
  | { type: "recall"; counter: string }
  | { type: "start"; counter: string }
  | { type: "finish"; counter: string }
  | { type: "no_show"; counter: string }
  | { type: "return"; counter: string }
  | { type: "transfer"; counter: string; service: string }
  | { type: "park"; counter: string }
  | { type: "resume"; ticket: string; counter?: string }
  // reason: a code (controller/queue/cancel-reason.ts); note: free text kept in the journal only.
  | { type: "cancel"; ticket: string; reason: string; note?: string }
  | {
      type: "reissue";
      ticket: string;
      service: string;
      printer?: string;
      reason?: string;
      note?: string;
      token?: string;
    }
  | { type: "reprint"; ticket: string; printer?: string };

export type QueueCommandType = QueueCommand["type"];
