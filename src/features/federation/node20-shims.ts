// Fedify 1.10 asks for Node 22; on Node 20 it runs but for two things Node 21 added, each
// installed here only where it is missing:
// - ArrayBuffer.prototype.transfer, which its hashing calls: structuredClone with a transfer
//   list does the same (moves the bytes, detaching the original);
// - the global navigator, which importJwk reads (navigator?.userAgent still throws when the
//   name is not defined at all): Node 21's own, { userAgent: 'Node.js/<major>' }.
declare global {
  interface ArrayBuffer {
    transfer(newByteLength?: number): ArrayBuffer
  }
}

if (typeof (ArrayBuffer.prototype as { transfer?: unknown }).transfer !== 'function') {
  Object.defineProperty(ArrayBuffer.prototype, 'transfer', {
    configurable: true,
    writable: true,
    value: function transfer(this: ArrayBuffer, newByteLength?: number): ArrayBuffer {
      const length = newByteLength ?? this.byteLength
      const moved = structuredClone(this, { transfer: [this] })
      if (length === moved.byteLength) return moved
      const resized = new ArrayBuffer(length)
      new Uint8Array(resized).set(new Uint8Array(moved, 0, Math.min(length, moved.byteLength)))
      return resized
    },
  })
}

if (!('navigator' in globalThis)) {
  Object.defineProperty(globalThis, 'navigator', {
    configurable: true,
    writable: true,
    value: { userAgent: `Node.js/${process.versions.node.split('.')[0]}` },
  })
}

export {}
