import { UserError } from '../errors.js';
import { MAX_QUERY_LENGTH } from '../search/PaperIndex.js';
import type { BotContext } from './BotContext.js';

/** A question as typed, trimmed; a UserError when empty or too long. */
export function checkQuestion(text: string): string {
  const question = text.trim();
  if (question === '') throw new UserError('query_empty', 'Your question is empty: ask me something about papers.');
  if (question.length > MAX_QUERY_LENGTH) {
    throw new UserError('query_too_long', `Your question is ${question.length} characters long; please keep it under ${MAX_QUERY_LENGTH}.`);
  }
  return question;
}

/** Take the user's cooldown; a UserError saying when to try again if it is running. */
export function checkCooldown(ctx: BotContext, userId: string): void {
  const waitMs = ctx.cooldowns.take(userId);
  if (waitMs > 0) {
    const at = Math.ceil((ctx.now() + waitMs) / 1000);
    throw new UserError('cooldown', `You are asking quickly: you can ask again <t:${at}:R> (in ${Math.ceil(waitMs / 1000)} s).`);
  }
}
