// The benchmark's app: answers every request with 1 KiB, keep-alive.
import { createServer } from 'node:http';

const body = Buffer.alloc(1024, 'x');
const port = Number(process.argv[2]);
createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
    res.end(body);
  });
}).listen(port, '127.0.0.1');
