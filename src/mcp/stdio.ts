import { Client, Connection } from '@temporalio/client';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { ConfigError, requireProductionServices } from '../config';
import { connectDatabase } from '../db/connect';
import { tenantOfToken } from '../db/tenant-tokens';
import { runProcess } from '../process';
import { temporalEndpoint } from '../temporal/connection';
import { conciergeMcpServer } from './server';

/**
 * `npm run mcp`: the MCP server over stdio, for a desktop client that starts it as a command.
 * Against an external Temporal and PostgreSQL like `npm run api`, for the tenant whose token is
 * CONCIERGE_MCP_TOKEN. stdout is the protocol: logs go to stderr.
 */
runProcess(
  'mcp',
  async (config, logger, onStop, control) => {
    const { temporalAddress, databaseUrl } = requireProductionServices(config);
    const token = process.env.CONCIERGE_MCP_TOKEN;
    if (!token) throw new ConfigError("Invalid configuration:\n  CONCIERGE_MCP_TOKEN: required (a tenant's token; the server acts for that tenant)");
    await control.waitForServices({ temporalAddress, databaseUrl });
    const pool = await connectDatabase(databaseUrl, logger);
    onStop('database pool', () => pool.end());
    const tenantId = await tenantOfToken(pool, token);
    if (!tenantId) throw new ConfigError("Invalid configuration:\n  CONCIERGE_MCP_TOKEN: not a tenant's token");
    const { namespace, taskQueue } = config.temporal;
    const connection = await Connection.connect(temporalEndpoint(temporalAddress, config.temporal));
    onStop('Temporal connection', () => connection.close());
    const server = conciergeMcpServer({ client: new Client({ connection, namespace }), taskQueue, pool, contactKeySecret: config.contactKeySecret }, tenantId);
    onStop('MCP server', () => server.close());
    await server.connect(new StdioServerTransport());
    // The client closing its end of the pipe is the session's end: stop as on a signal.
    process.stdin.on('end', () => process.kill(process.pid, 'SIGTERM'));
    logger.info({ tenant: tenantId }, 'mcp server ready on stdio');
  },
  { logTo: 'stderr' },
);
