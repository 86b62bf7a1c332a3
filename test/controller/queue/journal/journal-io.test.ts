// Disk failures during append, simulated by making node:fs writeSync fail partway.
import * as fs from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { JournalError } from "../../../../controller/queue/journal/errors.js";
import { Journal } from "../../../../controller/queue/journal/journal.js";
import { useTempDirs } from "./temp-dir.js";

vi.mock("node:fs", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:fs")>();
  return { ...actual, writeSync: vi.fn(actual.writeSync), ftruncateSync: vi.fn(actual.ftruncateSync) };
});

const actual = await vi.importActual<typeof import("node:fs")>("node:fs");
const tempDir = useTempDirs();
const rec = (seq: number) => ({ seq, type: "ticket_issued", ticket: `A${String(seq).padStart(3, "0")}` });
const segmentPath = (dir: string) => join(dir, "journal", "000000000001.jsonl");

function enospc(): NodeJS.ErrnoException {
  return Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
}

/** The next writeSync writes half its bytes, the one after fails with ENOSPC. */
function diskFillsUp(): void {
  vi.mocked(fs.writeSync)
    .mockImplementationOnce(((fd: number, buffer: Uint8Array, offset: number, length: number) =>
      actual.writeSync(fd, buffer, offset, Math.floor(length / 2))) as typeof fs.writeSync)
    .mockImplementationOnce(() => {
      throw enospc();
    });
}

afterEach(() => {
  vi.mocked(fs.writeSync).mockReset().mockImplementation(actual.writeSync);
  vi.mocked(fs.ftruncateSync).mockReset().mockImplementation(actual.ftruncateSync);
});

describe("Journal append on a failing disk", () => {
  it("throws JOURNAL_IO with the cause and cuts a partial write back; later appends work", () => {
    const dir = tempDir();
    const { journal } = Journal.open<ReturnType<typeof rec>>(dir, { onWarning: () => {} });
    journal.append([rec(1)]);
    const before = fs.readFileSync(segmentPath(dir), "utf8");

    diskFillsUp();
    let error: unknown;
    try {
      journal.append([rec(2), rec(3)]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(JournalError);
    expect((error as JournalError).code).toBe("JOURNAL_IO");
    expect((error as JournalError).message).toMatch(/000000000001\.jsonl: ENOSPC/);
    expect(((error as JournalError).cause as NodeJS.ErrnoException).code).toBe("ENOSPC");
    expect(fs.readFileSync(segmentPath(dir), "utf8")).toBe(before);
    expect(journal.lastSeq).toBe(1);

    journal.append([rec(2), rec(3)]);
    journal.close();
    const warnings: string[] = [];
    const again = Journal.open(dir, { onWarning: (m) => warnings.push(m) });
    expect([again.records, warnings]).toEqual([[rec(1), rec(2), rec(3)], []]);
    again.journal.close();
  });

  it("refuses further appends when the partial write cannot be cut back", () => {
    const dir = tempDir();
    const { journal } = Journal.open<ReturnType<typeof rec>>(dir);
    journal.append([rec(1)]);
    diskFillsUp();
    vi.mocked(fs.ftruncateSync).mockImplementationOnce(() => {
      throw Object.assign(new Error("EIO: i/o error, ftruncate"), { code: "EIO" });
    });
    expect(() => journal.append([rec(2)])).toThrow(/ENOSPC/);
    expect(() => journal.append([rec(2)])).toThrow(
      /partial line.*cutting it back failed: EIO.*restart vooru/,
    );
    journal.close();
  });
});
