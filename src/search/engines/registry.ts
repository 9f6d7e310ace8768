import { UserError } from '../../errors.js';
import type { Engine } from './Engine.js';
import { impactEngine } from './impact/impactEngine.js';
import { winkEngine } from './wink/winkEngine.js';

/** Every search engine, by the name PAPERBOT_ENGINE gives. */
export const ENGINES: Readonly<Record<string, Engine>> = {
  impact: impactEngine,
  wink: winkEngine,
};

/** The engine used unless PAPERBOT_ENGINE says otherwise, at every corpus size. */
export const DEFAULT_ENGINE = 'impact';

/** The engine called `name`, or a UserError listing those there are. */
export function engineNamed(name: string = DEFAULT_ENGINE): Engine {
  const engine = Object.hasOwn(ENGINES, name) ? ENGINES[name] : undefined;
  if (engine === undefined) {
    throw new UserError('engine_unknown', `PAPERBOT_ENGINE: there is no engine "${name}" (engines: ${Object.keys(ENGINES).join(', ')})`);
  }
  return engine;
}
