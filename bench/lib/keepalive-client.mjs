// A minimal HTTP/1.1 client for benches that send many small requests over keep-alive connections: one
// socket, one request at a time, the answer read by its Content-Length. Node's http.request costs about
// 0.2–0.3 ms of CPU a request and this about 0.1 (measured side by side); on a 2-core machine that also
// runs the server and PostgreSQL, what the load generator spends is taken from what it measures.
// Whatever it does not expect (an answer without Content-Length, a chunked one, `Connection: close`, the
// socket closing or failing while a request waits) fails the request and the connection, loudly: a bench
// must not drop or repeat a request silently.
import net from "node:net";

export function keepAliveConnection(host, port) {
  const socket = net.connect(port, host);
  socket.setNoDelay(true);
  let waiting = null; // { resolve, reject } of the request on the wire
  let buffered = null;
  let failure = null;
  const fail = (error) => {
    failure ??= error;
    socket.destroy();
    if (waiting) {
      const w = waiting;
      waiting = null;
      w.reject(failure);
    }
  };
  socket.on("data", (chunk) => {
    buffered = buffered ? Buffer.concat([buffered, chunk]) : chunk;
    if (!waiting) return fail(new Error("an answer nobody asked for"));
    const end = buffered.indexOf("\r\n\r\n");
    if (end < 0) return;
    const head = buffered.toString("latin1", 0, end);
    const status = /^HTTP\/1\.[01] (\d{3}) /.exec(head);
    const length = /\r\ncontent-length:[ \t]*(\d+)\r?$/im.exec(head);
    if (!status || !length || /\r\ntransfer-encoding:/i.test(head)) return fail(new Error(`unexpected answer: ${head.slice(0, 300)}`));
    const total = end + 4 + Number(length[1]);
    if (buffered.length < total) return;
    if (buffered.length > total) return fail(new Error("more bytes than the answer's Content-Length"));
    const body = buffered.subarray(end + 4, total);
    buffered = null;
    const w = waiting;
    waiting = null;
    if (/\r\nconnection:[ \t]*close/i.test(head)) fail(new Error("the server closed the connection"));
    w.resolve({ status: Number(status[1]), body });
  });
  socket.on("error", fail);
  socket.on("close", () => fail(new Error("connection closed")));
  return {
    /** Sends `head` (request line and headers, ending with the blank line) and `body`; resolves with the status and body. */
    request(head, body) {
      if (failure) return Promise.reject(failure);
      if (waiting) return Promise.reject(new Error("one request at a time per connection"));
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
        socket.write(head + body);
      });
    },
    close() {
      failure ??= new Error("closed");
      socket.destroy();
    },
  };
}
