#!/usr/bin/env bash
set -euo pipefail
cd "$(mktemp -d)"
printf 'public class Hello { public static void main(String[] a) { System.out.println("hello from java"); } }\n' >Hello.java
javac Hello.java
java -cp . Hello | grep -qx 'hello from java'
