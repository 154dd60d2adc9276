interface TrackedRequest {
  apiKey?: { name: string };
}

export function apiKeyNameOf(req: TrackedRequest): string {
  return req.apiKey?.name ?? 'anonymous';
}
