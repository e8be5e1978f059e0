// The floor for sockets: a bare Socket.IO 4 server (same version as ours) on a
// plain Node HTTP server, doing the minimum our flow needs and nothing else:
//   POST /token          -> 201 {"token"}  (a random room name, nothing stored)
//   POST /emit {"token"} -> emits `status` into that room, answers 200
//   io('/auth', { auth: { token } }) joins the room named after the token
// With REDIS_URL it uses @socket.io/redis-adapter, as ours does on Redis, under
// the channel prefix REDIS_KEY_PREFIX so that it meets nobody else on that Redis;
// with REDIS_CLUSTER_NODES, its sharded adapter, as ours does on a Cluster.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    if (request.method === 'POST' && request.url === '/token') {
      send(response, 201, { token: randomBytes(32).toString('base64url') });
    } else if (request.method === 'POST' && request.url === '/emit') {
      let token;
      try {
        token = JSON.parse(Buffer.concat(chunks).toString('utf8')).token;
      } catch {
        return send(response, 400, { message: 'Malformed JSON body' });
      }
      if (typeof token !== 'string')
        return send(response, 400, { message: 'token missing' });
      auth.to(token).emit('status', {
        status: 'authenticated',
        user: { id: 1, first_name: 'Ada' },
        accessToken: 'x',
      });
      send(response, 200, {});
    } else {
      send(response, 404, { message: 'Not Found' });
    }
  });
});

function send(response, status, body) {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

const io = new Server(server);
const auth = io.of('/auth');
auth.use((socket, next) => {
  const token = socket.handshake.auth?.token;
  if (typeof token !== 'string' || token.length === 0)
    return next(new Error('Unknown login'));
  socket.data.token = token;
  next();
});
auth.on('connection', (socket) => {
  socket.join(socket.data.token);
  socket.emit('status', { status: 'pending' });
});

if (process.env.REDIS_CLUSTER_NODES) {
  // As ours on a Cluster: sharded pub/sub (SPUBLISH/SSUBSCRIBE), one subscriber per primary.
  const [{ createShardedAdapter }, { Cluster }] = await Promise.all([
    import('@socket.io/redis-adapter'),
    import('ioredis'),
  ]);
  const nodes = process.env.REDIS_CLUSTER_NODES.split(',').map((node) => {
    const [host, port] = node.split(':');
    return { host, port: Number(port) };
  });
  const publisher = new Cluster(nodes);
  const subscriber = new Cluster(nodes, { shardedSubscribers: true });
  io.adapter(
    createShardedAdapter(publisher, subscriber, {
      channelPrefix: `${process.env.REDIS_KEY_PREFIX ?? 'bench:'}socket.io`,
    }),
  );
} else if (process.env.REDIS_URL) {
  const [{ createAdapter }, { Redis }] = await Promise.all([
    import('@socket.io/redis-adapter'),
    import('ioredis'),
  ]);
  const publisher = new Redis(process.env.REDIS_URL);
  const subscriber = publisher.duplicate();
  io.adapter(
    createAdapter(publisher, subscriber, {
      key: `${process.env.REDIS_KEY_PREFIX ?? 'bench:'}socket.io`,
    }),
  );
}

server.listen(Number(process.env.PORT ?? 3000));
