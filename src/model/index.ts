// Plain types shared by every stage.
export type * from "./alert.js";
export type * from "./mention.js";
export * from "./series.js";
