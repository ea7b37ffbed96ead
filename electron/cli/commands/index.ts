import type { Command } from '../command';
import { importCommand } from './import';
import { evalCommand } from './eval';
import { info } from './info';
import { matchCommand } from './match';
import { serve } from './serve';
import { train } from './train';
import { models } from './models';
import { embed } from './embed';
import { fetchModelsCommand } from './fetch-models';
import { exportCommand } from './export';
import { importIdentitiesCommand, mergeCommand } from './merge';
import { conflictsCommand } from './conflicts';

/** Every `caudal` subcommand. A feature adds its command file and one entry here. */
export const commands: Command[] = [
  info,
  serve,
  importCommand,
  embed,
  fetchModelsCommand,
  matchCommand,
  evalCommand,
  exportCommand,
  mergeCommand,
  importIdentitiesCommand,
  conflictsCommand,
  train,
  models,
];
