// Seasonal slotting shared by the count detectors: which slot (time of day or week, UTC) a window falls
// in, and a ring sized to whole periods so a ring position always maps to the same slot.
import { formatDuration } from "../util/duration.js";
import { windowsIn } from "./estimate.js";

export const PERIOD_MS = { day: 86_400_000, week: 604_800_000 } as const;
export type Period = keyof typeof PERIOD_MS;

export interface SlotLayout {
  windowMs: number;
  /** Ring length in windows: the span, rounded up to whole periods when seasonal. */
  capacity: number;
  /** Slots per period (1 when not seasonal). */
  slots: number;
  /** Ring positions that map to one slot (capacity / slots). */
  perSlot: number;
  /** Slot of a window index or ring position (equal, since capacity is whole periods). */
  slotOf(index: number): number;
}

/**
 * Layout for a history of `spanMs`. Seasonal (period given): slot width `slotMs`, at least one window;
 * the window width must divide the slot and the slot the period (5m windows and 1h slots do), else this
 * throws, because a slot could not then mean the same time of day every day.
 */
export function slotLayout(windowMs: number, spanMs: number, period?: Period, slotMs = windowMs): SlotLayout {
  if (period === undefined) {
    return {
      windowMs,
      capacity: windowsIn(spanMs, windowMs),
      slots: 1,
      perSlot: windowsIn(spanMs, windowMs),
      slotOf: () => 0,
    };
  }
  const periodMs = PERIOD_MS[period];
  const perPeriod = periodMs / windowMs;
  const perSlotPeriod = Math.max(1, slotMs / windowMs);
  if (!Number.isInteger(perPeriod) || !Number.isInteger(perSlotPeriod) || perPeriod % perSlotPeriod !== 0) {
    throw new Error(
      `seasonal slots of ${formatDuration(slotMs)} need windows (${formatDuration(windowMs)}) that divide the slot, and a slot that divides the ${period}`,
    );
  }
  const periods = windowsIn(spanMs, periodMs);
  const slots = perPeriod / perSlotPeriod;
  return {
    windowMs,
    capacity: periods * perPeriod,
    slots,
    perSlot: periods * perSlotPeriod,
    slotOf: (index) => Math.floor((((index % perPeriod) + perPeriod) % perPeriod) / perSlotPeriod),
  };
}

/** Window index of an event time. */
export const windowIndex = (time: number, windowMs: number): number => Math.floor(time / windowMs);
