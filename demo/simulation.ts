// The simulated devices as the contract shows them (sim/printers/{printer}, sim/panels/{panel})
// and the kiosk page's controls over them (sim/request/{press,printer,panel}). Every control acts
// on the virtual device itself (paper out in the virtual printer, a press in the virtual panel's
// report bytes), so the real drivers see it as they would see real hardware: health, alerts,
// LEDs and printing all take their real path.
import type { z } from "zod";
import type { Logger } from "../controller/health/log.js";
import type { ActionResult, RequestArgs } from "../controller/queue/queue-service.js";
import type { simPanelSchema, simPrinterSchema } from "../protocols/mqtt/schemas.js";
import type { OfficeTopics, SimVerb } from "../protocols/mqtt/topics.js";
import { renderTicketSvg } from "../simulators/printer/render.js";
import type { PrintedTicket } from "../simulators/printer/ticket.js";
import type { SimulatedPanelControl } from "./panels/simulated-panel.js";
import type { SimulatedPrinter } from "./printers.js";

export type SimPrinterState = z.infer<typeof simPrinterSchema>;
export type SimPanelState = z.infer<typeof simPanelSchema>;

/** How many drawn tickets sim/printers/{printer} keeps. */
export const KEPT_TICKETS = 10;

export interface SimulationOptions {
  topics: Pick<OfficeTopics, "simPrinter" | "simPanel">;
  printers: ReadonlyMap<string, SimulatedPrinter>;
  panels: ReadonlyMap<string, SimulatedPanelControl>;
  /** Retained publish (the bridge's publishExtra). */
  publish: (topic: string, body: object | null) => void;
  clock: () => number;
  log: Logger;
}

/** The ticket number as printed big on the paper (A023), if the ticket has one. */
export function ticketNumberOf(ticket: PrintedTicket): string | undefined {
  for (const line of ticket.lines)
    for (const segment of line.segments)
      if (segment.width >= 2 && /^[A-Z]{1,2}\d{1,4}$/.test(segment.text.trim())) return segment.text.trim();
  return undefined;
}

const fail = (code: "DEVICE_UNAVAILABLE" | "VALIDATION_FAILED", message: string): ActionResult => ({
  ok: false,
  error: { code, message },
});

export class Simulation {
  private readonly tickets = new Map<string, SimPrinterState["tickets"]>();
  private readonly unsubscribe: Array<() => void> = [];

  constructor(private readonly options: SimulationOptions) {
    for (const [id, sim] of options.printers) {
      this.tickets.set(id, []);
      this.unsubscribe.push(sim.printer.onTicket((ticket) => this.onTicket(id, sim, ticket)));
      this.publishPrinter(id);
    }
    for (const [id, panel] of options.panels) {
      this.unsubscribe.push(panel.onLedChange(() => this.publishPanel(id)));
      this.publishPanel(id);
    }
  }

  get empty(): boolean {
    return this.options.printers.size === 0 && this.options.panels.size === 0;
  }

  stop(): void {
    for (const off of this.unsubscribe.splice(0)) off();
  }

  /** A validated sim request. Never throws: a device that fails answers DEVICE_UNAVAILABLE. */
  async handle(verb: SimVerb, args: RequestArgs): Promise<ActionResult> {
    try {
      switch (verb) {
        case "press":
          return await this.press(String(args.panel), String(args.button));
        case "printer":
          return await this.printer(String(args.printer), args);
        case "panel":
          return this.panel(String(args.panel), args.plugged === true);
      }
    } catch (error) {
      this.options.log.warn(`simulation: ${verb} failed: ${(error as Error).message}`);
      return fail("DEVICE_UNAVAILABLE", `the simulated device failed: ${(error as Error).message}`);
    }
  }

  private printerState(id: string, sim: SimulatedPrinter): SimPrinterState {
    const flags = sim.printer.flags();
    return {
      paperLow: flags.paperNearEnd,
      paperOut: flags.paperOut,
      coverOpen: flags.coverOpen,
      unplugged: !sim.plugged,
      tickets: this.tickets.get(id) ?? [],
    };
  }

  private publishPrinter(id: string): void {
    const sim = this.options.printers.get(id);
    if (sim) this.options.publish(this.options.topics.simPrinter(id), this.printerState(id, sim));
  }

  private publishPanel(id: string): void {
    const panel = this.options.panels.get(id);
    if (!panel) return;
    const leds = panel.leds();
    const state: SimPanelState = {
      plugged: panel.plugged,
      printer: panel.printer,
      buttons: panel.buttons.map((b) => ({ ...b, led: leds[b.button] ?? "off" })),
    };
    this.options.publish(this.options.topics.simPanel(id), state);
  }

  private onTicket(id: string, sim: SimulatedPrinter, ticket: PrintedTicket): void {
    const kept = this.tickets.get(id) ?? [];
    const number = ticketNumberOf(ticket);
    kept.push({
      at: new Date(this.options.clock()).toISOString(),
      ...(number !== undefined ? { number } : {}),
      svg: renderTicketSvg(ticket, { widthMm: sim.paperWidthMm }),
    });
    this.tickets.set(id, kept.slice(-KEPT_TICKETS));
    this.publishPrinter(id);
  }

  private async press(panelId: string, button: string): Promise<ActionResult> {
    const panel = this.options.panels.get(panelId);
    if (!panel) return fail("DEVICE_UNAVAILABLE", `no simulated panel ${panelId}`);
    if (!panel.buttons.some((b) => b.button === button))
      return fail("VALIDATION_FAILED", `button: panel ${panelId} has no button ${button}`);
    if (!panel.plugged) return fail("DEVICE_UNAVAILABLE", `panel ${panelId} is unplugged`);
    await panel.press(button);
    return { ok: true, result: { panel: panelId, button } };
  }

  private async printer(id: string, args: RequestArgs): Promise<ActionResult> {
    const sim = this.options.printers.get(id);
    if (!sim) return fail("DEVICE_UNAVAILABLE", `no simulated printer ${id}`);
    const { printer } = sim;
    if (typeof args.paperLow === "boolean") printer.setPaperNearEnd(args.paperLow);
    if (typeof args.paperOut === "boolean") printer.setPaperOut(args.paperOut);
    if (typeof args.coverOpen === "boolean") printer.setCoverOpen(args.coverOpen);
    if (typeof args.unplugged === "boolean") await sim.setPlugged(!args.unplugged);
    this.publishPrinter(id);
    const { tickets: _tickets, ...state } = this.printerState(id, sim);
    return { ok: true, result: { printer: id, ...state } };
  }

  private panel(id: string, plugged: boolean): ActionResult {
    const panel = this.options.panels.get(id);
    if (!panel) return fail("DEVICE_UNAVAILABLE", `no simulated panel ${id}`);
    panel.setPlugged(plugged);
    this.publishPanel(id);
    return { ok: true, result: { panel: id, plugged: panel.plugged } };
  }
}
