import net from 'node:net';

export interface TcpProxy {
  port: number;
  /**
   * Acts like a server stopped with SIGSTOP: connections are still accepted (the kernel does
   * that for a stopped process) but nothing is forwarded either way until thaw().
   */
  freeze(): void;
  thaw(): void;
  /** Acts like a server that shut down: open connections are cut and new ones refused, until start(). */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A TCP proxy on 127.0.0.1 in front of a real server, to freeze it for one test without
 * touching the server other tests share, or to make it appear on a port later.
 */
export async function startTcpProxy(target: { host: string; port: number }, listenPort = 0): Promise<TcpProxy> {
  let frozen = false;
  const sockets = new Set<net.Socket>();
  /** Connections accepted while frozen: their upstream connection is opened on thaw. */
  const waiting: net.Socket[] = [];

  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  const forward = (from: net.Socket, to: net.Socket) => {
    from.on('data', (chunk) => {
      if (!to.write(chunk)) from.pause();
    });
    to.on('drain', () => {
      if (!frozen) from.resume();
    });
    from.once('close', () => to.destroy());
    from.on('error', () => to.destroy());
  };
  const connectUpstream = (client: net.Socket) => {
    if (client.destroyed) return;
    const upstream = net.connect(target);
    track(upstream);
    forward(client, upstream);
    forward(upstream, client);
    client.resume();
  };

  const server = net.createServer((client) => {
    track(client);
    client.on('error', () => client.destroy());
    client.pause();
    if (frozen) waiting.push(client);
    else connectUpstream(client);
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const stopListening = async () => {
    for (const socket of sockets) socket.destroy();
    if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  await listen(listenPort);
  const port = (server.address() as net.AddressInfo).port;

  return {
    port,
    freeze() {
      frozen = true;
      for (const socket of sockets) socket.pause();
    },
    thaw() {
      frozen = false;
      // Connected first: a socket resumed before it has a listener would drop what it reads.
      for (const client of waiting.splice(0)) connectUpstream(client);
      for (const socket of sockets) socket.resume();
    },
    stop: stopListening,
    start: () => listen(port),
    close: stopListening,
  };
}
