"""The Flask-SocketIO peer of wschat for cmd/wschat-bench (the tutorials' app,
eventlet): the same chat semantics as wschat (a welcome notice, set_username,
a chat line broadcast to everyone on every backend through Redis), wschat's
frame objects carried as the payload of the "chat message" event.

Usage: PORT=5201 NAME=web-a REDIS_URL=redis://127.0.0.1:6379 python3 app.py
"""
import os

try:
    import eventlet

    eventlet.monkey_patch()
    ASYNC = "eventlet"
except ImportError:  # say which server runs; run-all.sh prints it
    ASYNC = "threading"

from flask import Flask, jsonify, request
from flask_socketio import SocketIO, emit

NAME = os.environ.get("NAME", "web-a")
PORT = int(os.environ.get("PORT", "5201"))

app = Flask(__name__)
socketio = SocketIO(
    app,
    async_mode=ASYNC,
    message_queue=os.environ.get("REDIS_URL") or None,
    cors_allowed_origins="*",
)
usernames = {}


@app.route("/healthz")
def healthz():
    return jsonify(status="ok", backend=NAME, async_mode=ASYNC)


def system(code, text):
    emit("chat message", {"type": "system", "code": code, "text": text, "backend": NAME})


@socketio.on("connect")
def connect():
    system("welcome", f"Welcome! You are connected to {NAME}. Set a username to start chatting.")


@socketio.on("disconnect")
def disconnect(*_):
    usernames.pop(request.sid, None)


@socketio.on("chat message")
def chat_message(m):
    if not isinstance(m, dict):
        return system("invalid", "Unknown frame.")
    if m.get("type") == "set_username":
        usernames[request.sid] = str(m.get("username", ""))[:32]
        return system("username_set", f"You are {usernames[request.sid]}.")
    if m.get("type") == "message":
        u = usernames.get(request.sid)
        if not u:
            return system("username_required", "Set a username first.")
        socketio.emit(
            "chat message",
            {"type": "message", "text": f"{u}: {m.get('text', '')}", "username": u, "origin": NAME, "backend": NAME},
        )
        return None
    return system("invalid", "Unknown frame type.")


if __name__ == "__main__":
    # eventlet's WSGI server serves 1,000 connections at most by default.
    extra = {"max_size": int(os.environ.get("MAX_CONNS", "20000"))} if ASYNC == "eventlet" else {}
    socketio.run(app, host="127.0.0.1", port=PORT, log_output=False, **extra)
