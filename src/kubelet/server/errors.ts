// Errors the kubelet server answers with; each carries its HTTP status, and only the HTTP edge
// (server.ts) turns them into responses. Bodies are plain text, as the kubelet's.
export class KubeletHttpError extends Error {
  constructor(readonly statusCode: number, message: string) {
    super(message);
  }
}

export class BadRequestError extends KubeletHttpError {
  constructor(message: string) {
    super(400, message);
  }
}

export class NotFoundError extends KubeletHttpError {
  constructor(message: string) {
    super(404, message);
  }
}
