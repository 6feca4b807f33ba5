package io.pgusers; public class Main { public static void main(String[] a){} }
