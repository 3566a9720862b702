import { connect, type Socket } from "net";

/** What a raw connection saw: the bytes it was answered with, and when (ms after connecting) the server closed it. */
export interface RawExchange {
  socket: Socket;
  answer: () => string;
  /** Resolves with the milliseconds from connecting to the server's close. */
  closed: Promise<number>;
  /** Resolves once the first answer byte arrived. */
  answered: Promise<void>;
}

/** Opens a TCP connection and sends `head` as is: a client that writes exactly what a test makes it write, as slowly as it likes. */
export function rawRequest(url: string, head: string): RawExchange {
  const { hostname, port } = new URL(url);
  const started = Date.now();
  const socket = connect(Number(port), hostname.replace(/^\[|\]$/g, ""));
  let received = "";
  let markAnswered: () => void = () => undefined;
  const answered = new Promise<void>((resolve) => (markAnswered = resolve));
  socket.on("data", (chunk) => {
    received += chunk.toString("latin1");
    markAnswered();
  });
  socket.on("error", () => undefined);
  const closed = new Promise<number>((resolve) => socket.on("close", () => resolve(Date.now() - started)));
  if (head) socket.write(head);
  return { socket, answer: () => received, closed, answered };
}
