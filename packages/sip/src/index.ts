export type * from "./message.js";
