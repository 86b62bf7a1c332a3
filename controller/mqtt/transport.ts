// The one module that imports `mqtt`: a small connection interface the bridge, the CLI client and
// the tests share, so the library can change behind it. MQTT 5 and 3.1.1 alike.
import { readFileSync } from "node:fs";
import mqtt, { type IClientOptions, type IPublishPacket, type MqttClient } from "mqtt";

export interface MqttMessage {
  topic: string;
  payload: Buffer;
  /** Set when the broker delivers a stored retained message (a retained request is ignored). */
  retain: boolean;
  /** MQTT 5 request/response properties. */
  responseTopic?: string;
  correlationData?: Buffer;
}

export interface MqttConnectOptions {
  url: string;
  username?: string;
  password?: string;
  clientId?: string;
  protocolVersion?: 4 | 5;
  will?: { topic: string; payload: string; retain: boolean; qos: 0 | 1 };
  /** PEM file paths for TLS. */
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  rejectUnauthorized?: boolean;
  /** Reconnect delay; 0 disables reconnecting (CLI). */
  reconnectPeriodMs?: number;
  connectTimeoutMs?: number;
  /**
   * MQTT keep-alive; default 5 s, so a broker (or, seen from the broker, a device node) that
   * vanishes without closing the connection is noticed within 1.5 x 5 s, not mqtt.js's 90 s.
   */
  keepaliveSeconds?: number;
}

export interface PublishOptions {
  retain?: boolean;
  qos?: 0 | 1;
  /** MQTT 5 request/response: where the answer should go, and what to echo with it. */
  responseTopic?: string;
  correlationData?: Buffer;
}

export interface MqttConnection {
  readonly connected: boolean;
  publish(topic: string, payload: string | Buffer, options?: PublishOptions): Promise<void>;
  /**
   * retainAsPublished (MQTT 5 only): keep the retain flag on live deliveries too, so a retained
   * request is recognised even while the subscriber is connected.
   */
  subscribe(filters: string[], qos?: 0 | 1, options?: { retainAsPublished?: boolean }): Promise<void>;
  unsubscribe(filters: string[]): Promise<void>;
  onMessage(handler: (message: MqttMessage) => void): void;
  /** Called on the first connect and on every reconnect. */
  onConnect(handler: () => void): void;
  onDisconnect(handler: (reason: string) => void): void;
  /** A connection attempt failed (refused, bad credentials, no route). */
  onConnectError(handler: (reason: string) => void): void;
  end(force?: boolean): Promise<void>;
}

export function connectMqtt(options: MqttConnectOptions): MqttConnection {
  const protocolVersion = options.protocolVersion ?? 4;
  const clientOptions: IClientOptions = {
    protocolVersion,
    clean: true,
    reconnectPeriod: options.reconnectPeriodMs ?? 2000,
    connectTimeout: options.connectTimeoutMs ?? 10_000,
    keepalive: options.keepaliveSeconds ?? 5,
    rejectUnauthorized: options.rejectUnauthorized ?? true,
    ...(options.username !== undefined ? { username: options.username } : {}),
    ...(options.password !== undefined ? { password: options.password } : {}),
    ...(options.clientId !== undefined ? { clientId: options.clientId } : {}),
    ...(options.caFile ? { ca: readFileSync(options.caFile) } : {}),
    ...(options.certFile ? { cert: readFileSync(options.certFile) } : {}),
    ...(options.keyFile ? { key: readFileSync(options.keyFile) } : {}),
    ...(options.will ? { will: { ...options.will } } : {}),
  };
  const client: MqttClient = mqtt.connect(options.url, clientOptions);
  const connectHandlers: Array<() => void> = [];
  const disconnectHandlers: Array<(reason: string) => void> = [];
  const connectErrorHandlers: Array<(reason: string) => void> = [];
  let wasConnected = false;
  client.on("connect", () => {
    wasConnected = true;
    // Small request/reply messages: Nagle's algorithm with delayed ACKs would add ~40 ms each way.
    (client.stream as { setNoDelay?: (on: boolean) => void } | undefined)?.setNoDelay?.(true);
    for (const h of connectHandlers) h();
  });
  const lost = (reason: string) => {
    if (!wasConnected) return;
    wasConnected = false;
    for (const h of disconnectHandlers) h(reason);
  };
  client.on("close", () => lost("connection closed"));
  client.on("offline", () => lost("offline"));
  // mqtt.js emits 'error' for refused connections; without a listener it would throw.
  client.on("error", (error) => {
    if (wasConnected) lost(error.message);
    else for (const h of connectErrorHandlers) h(error.message);
  });

  return {
    get connected() {
      return client.connected;
    },
    async publish(topic, payload, publishOptions = {}) {
      const properties = {
        ...(publishOptions.responseTopic !== undefined
          ? { responseTopic: publishOptions.responseTopic }
          : {}),
        ...(publishOptions.correlationData !== undefined
          ? { correlationData: publishOptions.correlationData }
          : {}),
      };
      await client.publishAsync(topic, payload, {
        qos: publishOptions.qos ?? 1,
        retain: publishOptions.retain ?? false,
        // MQTT 3.1.1 has no properties: they are dropped, and such a client has no response topic anyway.
        ...(protocolVersion === 5 && Object.keys(properties).length > 0 ? { properties } : {}),
      });
    },
    async subscribe(filters, qos = 1, subscribeOptions = {}) {
      const rap = subscribeOptions.retainAsPublished === true && protocolVersion === 5;
      await client.subscribeAsync(filters, { qos, ...(rap ? { rap: true } : {}) });
    },
    async unsubscribe(filters) {
      await client.unsubscribeAsync(filters);
    },
    onMessage(handler) {
      client.on("message", (topic: string, payload: Buffer, packet: IPublishPacket) => {
        const message: MqttMessage = { topic, payload, retain: packet.retain === true };
        const props = packet.properties;
        if (props?.responseTopic !== undefined) message.responseTopic = props.responseTopic;
        if (props?.correlationData !== undefined) message.correlationData = props.correlationData;
        handler(message);
      });
    },
    onConnect(handler) {
      connectHandlers.push(handler);
      if (client.connected) handler();
    },
    onDisconnect(handler) {
      disconnectHandlers.push(handler);
    },
    onConnectError(handler) {
      connectErrorHandlers.push(handler);
    },
    async end(force = false) {
      await client.endAsync(force);
    },
  };
}
