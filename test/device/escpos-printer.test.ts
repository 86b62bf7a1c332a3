// The ESC/POS driver against the VirtualPrinter over serialport's mock binding: confirmation by
// process id and by GS r, and what paper, cover and noise do to printing and health.
import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "./support/health.js";
import { mockSerialRig, type Rig, startedUntilOk, ticketBytes } from "./support/printer-harness.js";

const EPSON = "epson-tm-t20iii";
const GENERIC = "generic-58mm";

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.dispose();
  rig = undefined;
});

describe("EscPosPrinter: confirmed tickets", () => {
  it("confirms a ticket by process id (epson profile) and keeps the raw status", async () => {
    rig = await startedUntilOk(await mockSerialRig(EPSON));
    const result = await rig.driver.print({ id: "0001", bytes: ticketBytes("A001") });
    expect(result).toEqual({ ok: true, confirmedBy: "process_id" });
    expect(rig.printer.tickets()).toHaveLength(1);
    const status = rig.driver.status();
    expect(status.state).toBe("ok");
    expect(status.raw.dleEot1).toEqual([0x12]);
    expect(status.raw.dleEot4).toEqual([0x12]);
    expect(status.raw.asb).toHaveLength(4);
    expect(status.lastSeen).toBeTypeOf("number");
    expect(rig.driver.stats()).toMatchObject({ jobsOk: 1, jobsFailed: 0, garbage: 0 });
    expect(rig.health.calls.filter((c) => c.kind === "raise")).toEqual([]);
  });

  it("confirms a ticket by GS r 1 (generic-58mm profile, no ASB)", async () => {
    rig = await startedUntilOk(await mockSerialRig(GENERIC));
    expect(await rig.driver.print({ id: "0001", bytes: ticketBytes("B001") })).toEqual({
      ok: true,
      confirmedBy: "gs_r",
    });
    expect(await rig.driver.print({ id: "0002", bytes: ticketBytes("B002") })).toEqual({
      ok: true,
      confirmedBy: "gs_r",
    });
    expect(rig.printer.tickets()).toHaveLength(2);
    expect(rig.driver.status().raw.asb).toBeUndefined();
  });

  it("runs jobs one at a time in order, and refuses more than five waiting", async () => {
    rig = await startedUntilOk(await mockSerialRig(EPSON, { msPerLine: 10 }));
    const jobs = Array.from({ length: 7 }, (_, i) =>
      rig!.driver.print({ id: `00${10 + i}`, bytes: ticketBytes(`A0${10 + i}`) }),
    );
    const results = await Promise.all(jobs);
    expect(results.slice(0, 6).every((r) => r.ok)).toBe(true);
    expect(results[6]).toMatchObject({ ok: false, reason: "busy" });
    const texts = rig.printer
      .tickets()
      .map((t) => t.lines.map((l) => l.segments.map((s) => s.text).join("")));
    expect(texts.map((lines) => lines.join(""))).toEqual(["A010", "A011", "A012", "A013", "A014", "A015"]);
  });

  it("skips and counts garbage from the printer; the ticket is still confirmed", async () => {
    rig = await startedUntilOk(await mockSerialRig(EPSON, { msPerLine: 5 }));
    rig.printer.sendGarbage(Uint8Array.of(0xff, 0x81, 0x37, 0x22, 0xfe, 0x00));
    const printing = rig.driver.print({ id: "0003", bytes: ticketBytes("A003") });
    rig.printer.sendGarbage(Uint8Array.of(0x80, 0xaa));
    expect(await printing).toEqual({ ok: true, confirmedBy: "process_id" });
    await waitFor(() => rig!.driver.stats().garbage >= 8, "garbage counted");
    expect(rig.driver.status().state).toBe("ok");
  });

  it("skips noise while a GS r barrier is pending", async () => {
    rig = await startedUntilOk(await mockSerialRig(GENERIC, { msPerLine: 5 }));
    rig.printer.sendGarbage(Uint8Array.of(0x91, 0xc3));
    expect(await rig.driver.print({ id: "0004", bytes: ticketBytes("B004") })).toMatchObject({ ok: true });
    expect(rig.driver.stats().garbage).toBeGreaterThanOrEqual(2);
  });
});

describe("EscPosPrinter: paper and cover", () => {
  it("refuses at once when the paper is out, raises PAPER_OUT, clears it when paper is back", async () => {
    rig = await startedUntilOk(await mockSerialRig(EPSON));
    rig.printer.setPaperOut(true);
    await waitFor(() => rig!.driver.status().state === "paper_out", "paper_out state");
    expect(rig.health.active.get("PAPER_OUT")).toBe("critical");
    expect(rig.health.last()).toEqual({ status: "degraded", faults: ["paper_out"] });
    const started = Date.now();
    expect(await rig.driver.print({ id: "0001", bytes: ticketBytes("A001") })).toMatchObject({
      ok: false,
      reason: "paper_out",
    });
    expect(Date.now() - started).toBeLessThan(50);
    expect(rig.printer.stats().bytesReceived).toBeLessThan(100); // nothing of the ticket was sent
    rig.printer.setPaperOut(false);
    await waitFor(() => !rig!.health.active.has("PAPER_OUT"), "PAPER_OUT cleared");
    expect(rig.health.last()?.status).toBe("ok");
  });

  it("fails a job with paper_out when the paper runs out mid-ticket (ASB), then prints the next", async () => {
    rig = await startedUntilOk(await mockSerialRig(EPSON, { msPerLine: 40 }));
    const printing = rig.driver.print({ id: "0001", bytes: ticketBytes("A001\nline\nline\nline") });
    setTimeout(() => rig!.printer.setPaperOut(true), 30);
    const started = Date.now();
    expect(await printing).toMatchObject({ ok: false, reason: "paper_out" });
    expect(Date.now() - started).toBeLessThan(300); // at once, not at the barrier timeout
    expect(rig.health.active.get("PAPER_OUT")).toBe("critical");
    rig.printer.setPaperOut(false);
    await waitFor(() => !rig!.health.active.has("PAPER_OUT"), "PAPER_OUT cleared");
    expect(await rig.driver.print({ id: "0002", bytes: ticketBytes("A002") })).toEqual({
      ok: true,
      confirmedBy: "process_id",
    });
    expect(rig.driver.stats()).toMatchObject({ jobsOk: 1, jobsFailed: 1 });
  });

  it("without ASB, a status poll during the job notices the paper running out", async () => {
    rig = await startedUntilOk(await mockSerialRig(GENERIC, { msPerLine: 40 }, { barrierTimeoutMs: 2000 }));
    const printing = rig.driver.print({ id: "0001", bytes: ticketBytes("B001\nline\nline\nline") });
    setTimeout(() => rig!.printer.setPaperOut(true), 30);
    const started = Date.now();
    expect(await printing).toMatchObject({ ok: false, reason: "paper_out" });
    expect(Date.now() - started).toBeLessThan(1000);
    rig.printer.setPaperOut(false);
    await waitFor(() => rig!.driver.status().state === "ok", "ok again");
  });

  it("after a GS r job failed at paper end, its late answer does not confirm the next job", async () => {
    rig = await startedUntilOk(await mockSerialRig(GENERIC, { msPerLine: 30 }, { barrierTimeoutMs: 2000 }));
    const first = rig.driver.print({ id: "0001", bytes: ticketBytes("B001\nl\nl\nl\nl\nl") });
    setTimeout(() => rig!.printer.setPaperOut(true), 20);
    expect(await first).toMatchObject({ ok: false, reason: "paper_out" });
    rig.printer.setPaperOut(false); // the rest of B001 prints now, then its GS r is answered
    await waitFor(() => rig!.driver.status().state === "ok", "ok again");
    expect(rig.printer.tickets()).toHaveLength(0); // B001 is still coming out
    const second = await rig.driver.print({ id: "0002", bytes: ticketBytes("B002") });
    expect(second).toEqual({ ok: true, confirmedBy: "gs_r" });
    expect(rig.printer.tickets()).toHaveLength(2); // confirmed only once B002 itself was out
  });

  it("refuses with cover_open while the cover is open (COVER_OPEN alert), prints once closed", async () => {
    rig = await startedUntilOk(await mockSerialRig(GENERIC));
    rig.printer.setCoverOpen(true);
    await waitFor(() => rig!.driver.status().state === "cover_open", "cover_open state (by polling)");
    expect(rig.health.active.get("COVER_OPEN")).toBe("critical");
    expect(await rig.driver.print({ id: "0001", bytes: ticketBytes("B001") })).toMatchObject({
      ok: false,
      reason: "cover_open",
    });
    rig.printer.setCoverOpen(false);
    await waitFor(() => !rig!.health.active.has("COVER_OPEN"), "COVER_OPEN cleared");
    expect(await rig.driver.print({ id: "0002", bytes: ticketBytes("B002") })).toMatchObject({ ok: true });
  });

  it("raises a PAPER_LOW warning when the paper nears its end, and printing goes on", async () => {
    rig = await startedUntilOk(await mockSerialRig(EPSON));
    rig.printer.setPaperNearEnd(true);
    await waitFor(() => rig!.health.active.get("PAPER_LOW") === "warning", "PAPER_LOW warning");
    expect(rig.health.last()).toEqual({ status: "degraded", faults: ["paper_low"] });
    expect(rig.driver.status().state).toBe("paper_low");
    expect(await rig.driver.print({ id: "0001", bytes: ticketBytes("A001") })).toMatchObject({ ok: true });
    rig.printer.setPaperNearEnd(false);
    await waitFor(() => !rig!.health.active.has("PAPER_LOW"), "PAPER_LOW cleared");
  });

  it("refuses while the printer reports an error (PRINTER_ERROR)", async () => {
    rig = await startedUntilOk(await mockSerialRig(EPSON));
    rig.printer.setError(true);
    await waitFor(() => rig!.health.active.has("PRINTER_ERROR"), "PRINTER_ERROR");
    expect(await rig.driver.print({ id: "0001", bytes: ticketBytes("A001") })).toMatchObject({
      ok: false,
      reason: "error",
    });
    rig.printer.setError(false);
    await waitFor(() => !rig!.health.active.has("PRINTER_ERROR"), "PRINTER_ERROR cleared");
  });

  it("times out when the barrier is never answered, then asks for the status", async () => {
    // A clone that accepts GS ( H but never answers it, configured with the epson profile.
    rig = await startedUntilOk(await mockSerialRig(EPSON, { processId: false }, { barrierTimeoutMs: 150 }));
    const started = Date.now();
    const result = await rig.driver.print({ id: "0001", bytes: ticketBytes("A001") });
    expect(result).toMatchObject({ ok: false, reason: "timeout" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(rig.printer.tickets()).toHaveLength(1); // printed, but unconfirmed: it does not count
    expect(rig.driver.status().state).toBe("ok");
  });
});
