import type { Command } from '../command';
import { numberOption } from '../command';
import { startServer } from '../../server/serve';

export const serve: Command = {
  name: 'serve',
  summary: 'Serve the Caudal app to a browser on this machine (browser mode).',
  usage: 'serve [--port P] [--host 127.0.0.1] [--catalog FILE]',
  options: {
    port: { type: 'string', description: 'port to listen on (default: a free one)', valueName: 'P' },
    host: { type: 'string', description: 'address to bind (default 127.0.0.1: this machine only)', valueName: 'HOST' },
  },
  async run(args, io) {
    const server = await startServer({
      catalogFile: args.catalog,
      port: numberOption(args, 'port', 0),
      host: (args.values.host as string | undefined) ?? '127.0.0.1',
    });
    io.out(`Caudal is serving at ${server.url}`);
    const stop = () => {
      void server.close().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    await new Promise(() => {}); // serve until stopped
    return undefined;
  },
};
