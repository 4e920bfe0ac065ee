// The socket.io peer of wschat for cmd/wschat-bench: the same chat semantics
// (a welcome notice, set_username, a chat line broadcast to everyone on every
// backend through Redis), with wschat's frame objects carried as the payload
// of the "chat message" event: 42["chat message",{"type":"message",...}].
// Usage: PORT=5101 NAME=web-a REDIS_URL=redis://127.0.0.1:6379 node server.js
const http = require("http");
const { Server } = require("socket.io");
const { createAdapter } = require("@socket.io/redis-adapter");
const { createClient } = require("redis");

const port = Number(process.env.PORT || 5101);
const name = process.env.NAME || "web-a";

async function main() {
  const server = http.createServer((req, res) => {
    if (req.url === "/healthz") {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ status: "ok", backend: name }));
      return;
    }
    res.writeHead(404);
    res.end();
  });
  const io = new Server(server, { transports: ["websocket"], serveClient: false });
  if (process.env.REDIS_URL) {
    const pub = createClient({ url: process.env.REDIS_URL });
    const sub = pub.duplicate();
    await Promise.all([pub.connect(), sub.connect()]);
    io.adapter(createAdapter(pub, sub));
  }
  io.on("connection", (socket) => {
    let username = "";
    const system = (code, text) =>
      socket.emit("chat message", { type: "system", code, text, backend: name });
    system("welcome", `Welcome! You are connected to ${name}. Set a username to start chatting.`);
    socket.on("chat message", (m) => {
      if (!m || typeof m !== "object") return system("invalid", "Unknown frame.");
      if (m.type === "set_username") {
        username = String(m.username || "").slice(0, 32);
        return system("username_set", `You are ${username}.`);
      }
      if (m.type === "message") {
        if (!username) return system("username_required", "Set a username first.");
        io.emit("chat message", { type: "message", text: `${username}: ${m.text}`, username, origin: name, backend: name });
        return;
      }
      system("invalid", "Unknown frame type.");
    });
  });
  server.listen(port, "127.0.0.1");
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
