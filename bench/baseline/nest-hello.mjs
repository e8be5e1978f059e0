// The ceiling of our own framework: a bare NestJS 12 app on Express with one
// controller whose POST parses a small JSON body and answers a small JSON body.
// Plain JavaScript so that it needs no build: the decorators are applied by hand,
// which is exactly what TypeScript's emitted code does.
import 'reflect-metadata';
import { Body, Controller, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

class HelloController {
  hello(body) {
    return { hello: 'world', got: typeof body };
  }
}
const hello = Object.getOwnPropertyDescriptor(
  HelloController.prototype,
  'hello',
);
Body()(HelloController.prototype, 'hello', 0);
Object.defineProperty(
  HelloController.prototype,
  'hello',
  Reflect.decorate(
    [Post('hello'), Reflect.metadata('design:paramtypes', [Object])],
    HelloController.prototype,
    'hello',
    hello,
  ),
);
Reflect.decorate([Controller()], HelloController);

class HelloModule {}
Reflect.decorate([Module({ controllers: [HelloController] })], HelloModule);

const app = await NestFactory.create(HelloModule, {
  logger: ['error', 'warn'],
});
await app.listen(Number(process.env.PORT ?? 3000));
