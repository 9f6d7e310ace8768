import { UserError } from '../errors.js';
import type { BotContext } from './BotContext.js';

/** Take the user's cooldown; a UserError saying when to try again if it is running. */
export function checkCooldown(ctx: BotContext, userId: string): void {
  const waitMs = ctx.cooldowns.take(userId);
  if (waitMs > 0) {
    const at = Math.ceil((ctx.now() + waitMs) / 1000);
    throw new UserError('cooldown', `You are asking quickly: you can ask again <t:${at}:R> (in ${Math.ceil(waitMs / 1000)} s).`);
  }
}
