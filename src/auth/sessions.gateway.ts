import { Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import {
  OnGatewayConnection,
  OnGatewayInit,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import type { Subscription } from 'rxjs';
import type { Namespace, Socket } from 'socket.io';
import type { SessionEndReason } from '../sessions/interfaces/index.js';
import { SessionEventsService } from '../sessions/session-events.service.js';
import { SessionService } from '../sessions/session.service.js';
import {
  SESSION_EVENT,
  SESSIONS_NAMESPACE,
} from '../sessions/sessions.constants.js';
import { MAX_SOCKET_MESSAGE_BYTES } from './auth.constants.js';
import {
  handshakeWith,
  SocketAdmission,
  SocketRefusal,
} from './socket-admission.js';

/** What a session's page hears when its session ends. */
export interface SessionEndedMessage {
  status: 'ended';
  reason: SessionEndReason;
}

/** The handshake's refusal of an access token that is not valid, expired, or of a session that has ended. */
export const SESSION_NOT_ACTIVE = 'Session not active';

const roomOf = (sid: string) => `session:${sid}`;

/**
 * Tells a logged-in page at once that its session ended: the page connects
 * with its access token (`auth: { accessToken }`), waits in its session's
 * room, and hears `session` `{ status: 'ended', reason }` from whichever
 * instance ended it, after which it is let go. The same caps as `/auth`
 * hold (SocketAdmission), counted per session.
 */
@WebSocketGateway({
  namespace: SESSIONS_NAMESPACE,
  maxHttpBufferSize: MAX_SOCKET_MESSAGE_BYTES,
})
export class SessionsGateway
  implements
    OnGatewayInit<Namespace>,
    OnGatewayConnection<Socket>,
    OnModuleInit,
    OnModuleDestroy
{
  @WebSocketServer() private readonly server!: Namespace;
  private readonly logger = new Logger(SessionsGateway.name);
  private subscription?: Subscription;

  constructor(
    private readonly sessions: SessionService,
    private readonly events: SessionEventsService,
    private readonly admission: SocketAdmission,
  ) {}

  onModuleInit(): void {
    this.subscription = this.events.ended.subscribe(({ session, reason }) =>
      this.tell(session.sid, { status: 'ended', reason }),
    );
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  afterInit(server: Namespace): void {
    handshakeWith(server, (socket) => this.admit(socket));
  }

  private async admit(socket: Socket): Promise<void> {
    const ip = this.admission.clientIp(socket);
    this.admission.screen(ip);
    const { accessToken } = (socket.handshake.auth ?? {}) as Record<
      string,
      unknown
    >;
    let session;
    try {
      session =
        typeof accessToken === 'string'
          ? await this.sessions.verify(accessToken)
          : undefined;
    } catch (error) {
      this.logger.error(
        `Could not check a session socket: ${(error as Error).message}`,
      );
      throw new Error('Session service unavailable', { cause: error });
    }
    if (!session) {
      const refusal = await this.admission.failed(ip).catch(() => undefined);
      throw refusal?.data ? refusal : new SocketRefusal(SESSION_NOT_ACTIVE);
    }
    this.admission.admit(socket, ip, roomOf(session.sid));
    (socket.data as { sid: string }).sid = session.sid;
  }

  async handleConnection(socket: Socket): Promise<void> {
    const { sid } = socket.data as { sid: string };
    try {
      await socket.join(roomOf(sid));
      // Ended between the handshake and the join (on another instance, say), whose word went to
      // an empty room: asked of the store itself, not of the cache. The page, let go, checks by refreshing.
      if (!(await this.sessions.goesOn(sid, Date.now(), { fresh: true })))
        socket.disconnect(true);
    } catch (error) {
      this.logger.error(
        `Could not watch a session: ${(error as Error).message}`,
      );
      socket.disconnect(true);
    }
  }

  /** Every instance's sockets of the session hear it, then are let go: the session has nothing more to say. */
  private tell(sid: string, message: SessionEndedMessage): void {
    this.server.to(roomOf(sid)).emit(SESSION_EVENT, message);
    this.server.in(roomOf(sid)).disconnectSockets(true);
  }
}
