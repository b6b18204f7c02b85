/** setTimeout's limit (about 596h): a longer delay fires at once, so no timer may be set longer. */
export const MAX_TIMER_MS = 2 ** 31 - 1;
